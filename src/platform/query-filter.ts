/**
 * Builds MongoDB filters only from validated scalar values, so nothing a client sends can become an operator.
 * Field names come from code (never from a request); values must be strings, finite numbers, booleans, dates
 * or null. An object or array where a scalar is expected is a programming error that would open operator
 * injection (`{"$ne": …}`), so it is refused loudly instead of being passed through.
 */
import { AppError } from './errors';

export type Scalar = string | number | boolean | Date | null;
export type MongoFilter = Record<string, unknown>;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (v instanceof Date && !Number.isNaN(v.getTime()));
}

function assertField(field: string): void {
  if (!FIELD.test(field)) throw new Error(`query-filter: "${field}" is not a plain field name`);
}

function assertScalar(field: string, v: unknown): asserts v is Scalar {
  if (!isScalar(v)) throw new AppError('validation_failed', `filter ${field} must be a plain value`, { errors: [{ path: `/${field}`, message: 'must be a plain value' }] });
}

/** Escapes a user string for a literal, case-insensitive substring match. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class FilterBuilder {
  private readonly parts: MongoFilter[] = [];

  /** `field == value`; skipped when value is undefined (an absent query parameter). */
  eq(field: string, value: unknown): this {
    if (value === undefined) return this;
    assertField(field);
    assertScalar(field, value);
    this.parts.push({ [field]: value });
    return this;
  }

  /** `field` is one of `values`; skipped when undefined or empty. */
  oneOf(field: string, values: readonly unknown[] | undefined): this {
    if (values === undefined || values.length === 0) return this;
    assertField(field);
    for (const v of values) assertScalar(field, v);
    this.parts.push({ [field]: { $in: [...values] } });
    return this;
  }

  /** `from <= field < to`, either bound optional. */
  range(field: string, from: Date | number | string | undefined, to: Date | number | string | undefined): this {
    assertField(field);
    const cond: Record<string, Scalar> = {};
    if (from !== undefined) {
      assertScalar(field, from);
      cond.$gte = from;
    }
    if (to !== undefined) {
      assertScalar(field, to);
      cond.$lt = to;
    }
    if (Object.keys(cond).length > 0) this.parts.push({ [field]: cond });
    return this;
  }

  /** `present: true` → field is set (not null); `false` → missing or null; undefined → no condition. */
  present(field: string, present: boolean | undefined): this {
    if (present === undefined) return this;
    assertField(field);
    this.parts.push(present ? { [field]: { $ne: null } } : { [field]: null });
    return this;
  }

  /** Case-insensitive substring match of a literal text (regex metacharacters escaped). */
  contains(field: string, text: string | undefined): this {
    if (text === undefined || text === '') return this;
    assertField(field);
    assertScalar(field, text);
    this.parts.push({ [field]: { $regex: escapeRegex(text), $options: 'i' } });
    return this;
  }

  /** Adds a filter built by another trusted helper (e.g. the pagination cursor). */
  and(filter: MongoFilter | undefined): this {
    if (filter && Object.keys(filter).length > 0) this.parts.push(filter);
    return this;
  }

  build(): MongoFilter {
    if (this.parts.length === 0) return {};
    if (this.parts.length === 1) return this.parts[0] as MongoFilter;
    return { $and: [...this.parts] };
  }
}

export const filter = (): FilterBuilder => new FilterBuilder();
