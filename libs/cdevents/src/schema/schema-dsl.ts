/**
 * A tiny declarative schema language for CDEvents payloads. Tables written with it serve two
 * purposes: the validator compiles them into closures once (fast, no generic interpretation per
 * event), and TypeScript infers the event model types from the same tables, so types and runtime
 * checks cannot drift apart.
 */

export type StringFormat = 'uri' | 'uri-reference' | 'date-time';

export interface StringSpec<T extends string = string> {
  readonly kind: 'string';
  readonly minLength: 0 | 1;
  readonly format?: StringFormat;
  /** Closed set of allowed values (JSON Schema `enum`). */
  readonly enum?: readonly string[];
  readonly pattern?: RegExp;
  /** Human description of `pattern`, used in error messages. */
  readonly patternHint?: string;
  /** Phantom member carrying the TypeScript type of the value; never set at runtime. */
  readonly __type?: T;
}

export interface ObjectSpec<P extends PropsSpec = PropsSpec> {
  readonly kind: 'object';
  readonly props: P;
  /** `additionalProperties: false` in the official schema. */
  readonly closed: boolean;
}

export interface ArraySpec<I extends FieldSpec = FieldSpec> {
  readonly kind: 'array';
  readonly items: I;
}

/** Any JSON object, contents unchecked (`tags`, custom event content). */
export interface MapSpec {
  readonly kind: 'map';
}

/** `customData`: a JSON object or a (base64) string. */
export interface ObjectOrStringSpec {
  readonly kind: 'objectOrString';
}

/**
 * A union of closed objects told apart by one string member (links by `linkType`). Equivalent to
 * the schema's `anyOf` because each branch requires its own constant tag, but reports the errors
 * of the one branch the producer meant instead of every branch's.
 */
export interface TaggedSpec<V extends Readonly<Record<string, ObjectSpec>> = Readonly<Record<string, ObjectSpec>>> {
  readonly kind: 'tagged';
  readonly tag: string;
  readonly variants: V;
}

export type FieldSpec = StringSpec<string> | ObjectSpec<PropsSpec> | ArraySpec<FieldSpec> | MapSpec | ObjectOrStringSpec | TaggedSpec;

export interface PropSpec<S extends FieldSpec = FieldSpec, R extends boolean = boolean> {
  readonly spec: S;
  readonly required: R;
}

export type PropsSpec = Readonly<Record<string, PropSpec>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type InferProps<P extends PropsSpec> = Simplify<
  { -readonly [K in keyof P as P[K] extends { readonly required: true } ? K : never]: Infer<P[K]['spec']> } & {
    -readonly [K in keyof P as P[K] extends { readonly required: true } ? never : K]?: Infer<P[K]['spec']>;
  }
>;

/** The TypeScript type of values a spec accepts. */
export type Infer<S> =
  S extends StringSpec<infer T>
    ? T
    : S extends ObjectSpec<infer P>
      ? InferProps<P>
      : S extends ArraySpec<infer I>
        ? Infer<I>[]
        : S extends MapSpec
          ? Record<string, unknown>
          : S extends ObjectOrStringSpec
            ? Record<string, unknown> | string
            : S extends TaggedSpec<infer V>
              ? { [K in keyof V]: Infer<V[K]> }[keyof V]
              : never;

export interface StringOptions {
  readonly minLength?: 0 | 1;
  readonly format?: StringFormat;
}

export const string = (options: StringOptions = {}): StringSpec<string> => ({
  kind: 'string',
  minLength: options.minLength ?? 0,
  ...(options.format ? { format: options.format } : {}),
});

/** A closed enum: only the listed values are valid. */
export const enumOf = <const E extends readonly string[]>(values: E): StringSpec<E[number]> => ({
  kind: 'string',
  minLength: 0,
  enum: values,
});

/**
 * An "open" enum (`anyOf: [enum, string]` in the schema): the listed values are suggestions for
 * producers and editors, any string is valid.
 */
export const openEnum = <const E extends readonly string[]>(
  _suggested: E,
  minLength: 0 | 1 = 0,
): StringSpec<E[number] | (string & {})> => ({ kind: 'string', minLength });

export const matching = (pattern: RegExp, patternHint: string): StringSpec<string> => ({
  kind: 'string',
  minLength: 1,
  pattern,
  patternHint,
});

export const object = <P extends PropsSpec>(props: P): ObjectSpec<P> => ({ kind: 'object', props, closed: true });

/** An object that also accepts members the schema does not declare. */
export const openObject = <P extends PropsSpec>(props: P): ObjectSpec<P> => ({ kind: 'object', props, closed: false });

export const arrayOf = <I extends FieldSpec>(items: I): ArraySpec<I> => ({ kind: 'array', items });

export const anyObject: MapSpec = { kind: 'map' };

export const objectOrString: ObjectOrStringSpec = { kind: 'objectOrString' };

export const tagged = <const V extends Readonly<Record<string, ObjectSpec>>>(tag: string, variants: V): TaggedSpec<V> => ({
  kind: 'tagged',
  tag,
  variants,
});

export const req = <S extends FieldSpec>(spec: S): PropSpec<S, true> => ({ spec, required: true });

export const opt = <S extends FieldSpec>(spec: S): PropSpec<S, false> => ({ spec, required: false });

// Shorthands for the shapes that recur across the event tables.
export const text = string();
export const nonEmpty = string({ minLength: 1 });
export const uri = string({ format: 'uri' });
export const nonEmptyUri = string({ minLength: 1, format: 'uri' });
export const uriRef = string({ minLength: 1, format: 'uri-reference' });
export const dateTime = string({ format: 'date-time' });
export const stringList = arrayOf(text);

/** Reference to another subject: `{id, source?}`, as used for environment, service, repository… */
export const subjectRef = object({ id: req(nonEmpty), source: opt(uriRef) });

/** Testing events' references carry a free-form `source` (no URI format in the schema). */
export const looseSubjectRef = object({ id: req(nonEmpty), source: opt(text) });
