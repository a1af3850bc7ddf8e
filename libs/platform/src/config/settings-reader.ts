/** Thrown with every problem at once, so an operator fixes the environment in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Reads settings from the environment and collects every problem instead of stopping at the
 * first: the platform and each context read their own settings through one reader, and startup
 * reports all problems in one line (`throwIfInvalid`).
 */
export class SettingsReader {
  readonly problems: string[] = [];

  constructor(readonly env: NodeJS.ProcessEnv) {}

  /** The trimmed value, or null when unset or blank. */
  string(name: string): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name) ?? String(fallback);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problem(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return Math.min(Math.max(fallback, min), max);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name) ?? String(fallback);
    if (raw !== 'true' && raw !== 'false') this.problem(`${name} must be true or false`);
    return raw === 'true';
  }

  /** Comma-separated values, trimmed, blanks kept (so that `a,,b` can be refused by the caller). */
  list(name: string, fallback: string): string[] {
    return (this.string(name) ?? fallback).split(',').map((entry) => entry.trim());
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Reads one group of settings (the platform's, or one context's) through a shared reader. */
export type SettingsLoader<S> = (read: SettingsReader) => S;

/** Runs one loader on its own: throws ConfigError with every problem it found. */
export function loadSettings<S>(loader: SettingsLoader<S>, env: NodeJS.ProcessEnv = process.env): S {
  const reader = new SettingsReader(env);
  const settings = loader(reader);
  reader.throwIfInvalid();
  return settings;
}
