export {
  AccessControlAuthModule,
  AccessControlModule,
  accessControlAuthentication,
  accessControlContext,
} from './access-control.module.js';
export { type AccessControlSettings, readAccessControlSettings } from './access-control.settings.js';
export { accessControlIntegrationEvents } from './access-control.integration-events.js';
