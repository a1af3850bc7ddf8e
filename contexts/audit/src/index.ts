export { type AuditLogModuleOptions, AuditLogModule, auditContext, sealerLock } from './audit-log.module.js';
export { type AuditSettings, DEFAULT_AUDIT_LOG_ORIGIN, readAuditSettings } from './audit.settings.js';
