export { type AuditLogModuleOptions, AuditLogModule } from './audit-log.module.js';
