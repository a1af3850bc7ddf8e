export { AccessControlAuthModule, AccessControlModule, accessControlProjections } from './access-control.module.js';
