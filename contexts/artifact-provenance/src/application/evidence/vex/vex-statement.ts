/** One VEX assertion, from OpenVEX or CycloneDX: vulnerability V in these products has this status. */
export interface VexStatement {
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  /** Product identifiers (purls where given, else the `@id` IRI or CycloneDX ref), as written. */
  readonly products: readonly string[];
  /** Components inside the products that the statement is about (OpenVEX `subcomponents`). */
  readonly subcomponents: readonly string[];
  readonly status: VexStatus;
  readonly justification: string | undefined;
  readonly impactStatement: string | undefined;
  /** When it was known true (statement, else document timestamp), UTC; later statements supersede earlier. */
  readonly timestamp: string | undefined;
  readonly format: 'OpenVEX' | 'CycloneDX';
}

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];
