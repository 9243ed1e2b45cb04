/**
 * Request validation: path and query parameters are coerced to the types their schema declares (they arrive
 * as strings), every part is validated with ajv against its schema in `ctx.schemas`, and JSON bodies are first
 * screened for keys that could become MongoDB operators or prototype pollution. Anything off is a 400
 * `validation_failed` with `errors: [{path, message}]`.
 */
import { AppError } from '../../platform/errors';
import type { FieldError, SchemaRegistry } from '../../platform/schemas';
import { flatProperties, type JsonSchema } from './schema-refs';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

const pointerEscape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Keys starting with `$`, containing `.`, or naming prototype slots are refused anywhere in a body. */
export function unsafeKeys(value: unknown, path = '', depth = 0): FieldError[] {
  if (value === null || typeof value !== 'object') return [];
  if (depth > MAX_DEPTH) return [{ path: path || '/', message: `nests deeper than ${MAX_DEPTH} levels` }];
  const out: FieldError[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...unsafeKeys(v, `${path}/${i}`, depth + 1)));
    return out;
  }
  for (const key of Object.keys(value)) {
    const p = `${path}/${pointerEscape(key)}`;
    if (key.startsWith('$') || key.includes('.')) out.push({ path: p, message: 'keys may not start with $ or contain .' });
    else if (FORBIDDEN_KEYS.has(key)) out.push({ path: p, message: 'is a reserved key' });
    else out.push(...unsafeKeys((value as Record<string, unknown>)[key], p, depth + 1));
  }
  return out;
}

function typesOf(schema: JsonSchema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map((v) => (typeof v === 'number' ? 'number' : typeof v)))];
  return ['string'];
}

function coerceScalar(raw: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if (types.includes('string')) return raw;
  if ((types.includes('integer') && /^-?\d{1,15}$/.test(raw)) || (types.includes('number') && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw))) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/**
 * Coerces raw parameters (`string | string[]` from express) by the declared property types. Unknown names and
 * repeated scalars are left as they are, so ajv reports them (`is not allowed`, `must be string`).
 */
export function coerceParams(schemas: SchemaRegistry, name: string, raw: Record<string, unknown>): Record<string, unknown> {
  const { props } = flatProperties(schemas, name);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const prop = props.get(k);
    if (!prop) {
      out[k] = v;
      continue;
    }
    if (typesOf(prop).includes('array')) {
      const items = (prop.items ?? {}) as JsonSchema;
      const list = Array.isArray(v) ? v : [v];
      out[k] = list.map((x) => (typeof x === 'string' ? coerceScalar(x, items) : x));
    } else {
      out[k] = typeof v === 'string' ? coerceScalar(v, prop) : v;
    }
  }
  return out;
}

const prefixed = (where: string, errors: FieldError[]): FieldError[] => errors.map((e) => ({ path: `${where}${e.path === '/' ? '' : e.path}`, message: e.message }));

export function validationError(errors: FieldError[]): AppError {
  return new AppError('validation_failed', errors.map((e) => `${e.path} ${e.message}`).slice(0, 3).join('; '), { errors });
}

/** Copies express' params/query into a null-prototype-free plain object (express 5 query is a getter). */
function plain(input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input && typeof input === 'object') for (const [k, v] of Object.entries(input)) out[k] = v;
  return out;
}

export interface ValidatedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * Validates all parts and returns the typed values. Error paths are prefixed with the part: `/params/id`,
 * `/query/limit`, `/body/name`.
 */
export function validateRequest(
  schemas: SchemaRegistry,
  spec: { params?: string; query?: string; body?: string },
  raw: { params: unknown; query: unknown; body: unknown; hasBody: boolean },
): ValidatedRequest {
  const errors: FieldError[] = [];
  const rawQuery = plain(raw.query);
  errors.push(...prefixed('/query', unsafeKeys(rawQuery)));
  let params: Record<string, unknown> = {};
  let query: Record<string, unknown> = {};
  if (spec.params) {
    params = coerceParams(schemas, spec.params, plain(raw.params));
    errors.push(...prefixed('/params', schemas.validate(spec.params, params)));
  }
  if (spec.query) {
    query = coerceParams(schemas, spec.query, rawQuery);
    errors.push(...prefixed('/query', schemas.validate(spec.query, query)));
  } else if (Object.keys(rawQuery).length > 0) {
    errors.push(...Object.keys(rawQuery).map((k) => ({ path: `/query/${pointerEscape(k)}`, message: 'is not allowed' })));
  }
  let body: unknown;
  if (spec.body) {
    if (!raw.hasBody) {
      errors.push({ path: '/body', message: 'a JSON body is required' });
    } else {
      body = raw.body;
      const unsafe = unsafeKeys(body);
      if (unsafe.length > 0) errors.push(...prefixed('/body', unsafe));
      else errors.push(...prefixed('/body', schemas.validate(spec.body, body)));
    }
  } else if (raw.hasBody) {
    errors.push({ path: '/body', message: 'this operation takes no body' });
  }
  if (errors.length > 0) throw validationError(errors);
  return { params, query, body };
}
