/** Nest injection tokens for the platform's ports. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SQL_DATABASE = Symbol('SQL_DATABASE');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const ID_GENERATOR = Symbol('ID_GENERATOR');
