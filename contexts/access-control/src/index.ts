export { AccessControlAuthModule, AccessControlModule, accessControlAuthentication, accessControlContext } from './access-control.module.js';
export { type AccessControlSettings, readAccessControlSettings } from './access-control.settings.js';
