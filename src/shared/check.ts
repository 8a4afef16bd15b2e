// Small building blocks of the runtime checks in validate.ts and persist.ts: a failure that
// carries a one-line message naming the field, and the result type every parser returns.
import { t } from '../core/l10n';
import { ConfigError } from '../core/errors';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export class Invalid extends Error {}

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fail(message: string): never {
  throw new Invalid(message);
}

/** Own property only: "constructor" or "toString" must not pass for a field. */
export function has(v: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(v, key);
}

/** The object must have exactly the `required` keys plus any of `optional`. */
export function exactKeys(v: Obj, where: string, required: readonly string[], optional: readonly string[] = []): void {
  for (const key of required) if (!has(v, key)) fail(t('{0}: missing field "{1}"', where, key));
  for (const key of Object.keys(v)) {
    if (!required.includes(key) && !optional.includes(key)) fail(t('{0}: unexpected field "{1}"', where, key));
  }
}

function configMessage(err: ConfigError): string {
  return err.message.startsWith(`${err.field} `) ? `config.${err.message}` : `config.${err.field}: ${err.message}`;
}

export function wrap<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    if (err instanceof ConfigError) return { ok: false, error: configMessage(err) };
    throw err;
  }
}

export function finiteNumber(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(t('{0} must be a finite number', where));
  return v;
}

export function nonNegativeInteger(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(t('{0} must be a non-negative integer', where));
  return v;
}

export function stringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(t('{0} must be an array of strings', where));
  return v as string[];
}
