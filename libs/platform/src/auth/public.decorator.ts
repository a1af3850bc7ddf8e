import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'compliance-ledger:public';

/**
 * Marks a route that needs no bearer token (health, docs). `'metrics'` makes it public only
 * when the configuration says so (METRICS_PUBLIC).
 */
export const Public = (when: true | 'metrics' = true) => SetMetadata(IS_PUBLIC, when);
