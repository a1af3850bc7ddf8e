// `node --import ./test/integration/messaging-ts-register.mjs app.ts`: see messaging-ts-loader.mjs.
import { register } from 'node:module';

register('./messaging-ts-loader.mjs', import.meta.url);
