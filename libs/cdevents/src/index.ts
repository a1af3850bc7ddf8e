// Public API of the project's CDEvents library (CDEvents 0.5.1, with 0.4.x accepted and normalised).
export type {
  AnyCdEvent,
  CdEvent,
  CdEventContext,
  CdEventOf,
  CdEventSubject,
  ContentOf,
  CustomCdEvent,
  CustomCdEventType,
  EmbeddedLink,
} from './events/cdevent.types.js';
export { CdEventTypes } from './events/event-models.js';
export type * from './events/event-models.js';
export {
  CATALOG,
  CDEVENT_TYPES,
  SPEC_VERSION,
  previousMinor,
  supportedVersionsOf,
  type CatalogEntry,
  type CdEventType,
} from './events/event-catalog.js';
export { SUBJECT_TYPES, type SubjectType } from './events/event-def.js';
export { CUSTOM_TYPE_PATTERN, type SpecRules } from './events/envelope.schema.js';
export { RUN_OUTCOMES } from './events/core.events.js';
export { TEST_CASE_TYPES, TEST_OUTPUT_TYPES, TEST_SEVERITIES, TRIGGER_TYPES } from './events/testing.events.js';
export { TICKET_PRIORITIES, TICKET_RESOLUTIONS, TICKET_TYPES } from './events/ops.events.js';
export {
  isCdEventOfType,
  parseCdEvent,
  unsupportedTypeMessage,
  validateCdEvent,
  type CdEventValidation,
  type InvalidCdEvent,
  type ValidateOptions,
  type ValidCdEvent,
} from './validation/cdevent.validator.js';
export { isRfc3339DateTime } from './schema/date-time.format.js';
export { isUri, isUriReference } from './schema/uri.format.js';
export { buildCdEvent, buildCustomCdEvent, type BuildOptions, type CdEventInput } from './builders/cdevent.builder.js';
export {
  parseCloudEventsHttp,
  type CloudEventAttributes,
  type CloudEventsMode,
  type HttpHeaders,
  type HttpMessage,
  type ParsedCdEventItem,
} from './bindings/cloudevents-http.parser.js';
export {
  toCloudEventBatch,
  toCloudEventBinary,
  toCloudEventStructured,
  type EncodedHttpMessage,
} from './bindings/cloudevents-http.encoder.js';
