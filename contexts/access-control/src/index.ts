export { AccessControlAuthModule, AccessControlModule, accessControlProjections } from './access-control.module.js';
export { accessControlIntegrationEvents } from './access-control.integration-events.js';
