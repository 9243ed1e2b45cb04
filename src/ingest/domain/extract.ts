import type { SourceConfig, ValueLocator } from '../../config/types';
import { AppError } from '../../platform/errors';
import { matchesEventType, readPointer } from '../../platform/matching';
import type { FieldError } from '../../platform/schemas';
import { headerValue, type Headers } from './verify';

/** Standard Webhooks senders may brand their headers `svix-*`; a locator naming one also finds the other. */
const ALIASES: Record<string, string> = {
  'webhook-id': 'svix-id',
  'svix-id': 'webhook-id',
  'webhook-timestamp': 'svix-timestamp',
  'svix-timestamp': 'webhook-timestamp',
};

const MAX_VALUE_LENGTH = 512;

/** Reads a value from a header or a JSON pointer into the body; strings and numbers only. */
export function locate(locator: ValueLocator | undefined, headers: Headers, body: unknown): string | undefined {
  if (!locator) return undefined;
  let value: unknown;
  if (locator.header) {
    const name = locator.header.toLowerCase();
    value = headerValue(headers, name) ?? (ALIASES[name] ? headerValue(headers, ALIASES[name]) : undefined);
  }
  if ((value === undefined || value === '') && locator.pointer !== undefined) value = readPointer(body, locator.pointer);
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_VALUE_LENGTH ? trimmed : undefined;
}

const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The published event type: fixed, or read from the request, with the source's prefix. */
export function eventTypeOf(source: SourceConfig, headers: Headers, body: unknown): string {
  const spec = source.eventType;
  if (spec?.fixed) return spec.fixed;
  const raw = locate(spec ?? { pointer: '/type' }, headers, body);
  if (!raw) {
    const where = spec?.header ? `header ${spec.header}` : `body at ${spec?.pointer ?? '/type'}`;
    throw new AppError('event_type_missing', `the event type is read from the ${where}, which is missing or not a string`);
  }
  const type = `${spec?.prefix ?? ''}${raw}`;
  if (!EVENT_TYPE.test(type)) throw new AppError('event_type_missing', 'the event type may only contain letters, digits and _ . : -');
  return type;
}

/** The schema name for an event type: the first mapping whose pattern matches, or undefined. */
export function schemaFor(source: SourceConfig, type: string): string | undefined {
  return source.schemas?.find((m) => matchesEventType(m.type, type))?.schema;
}

export interface SchemaCheck {
  validate(name: string, value: unknown): FieldError[];
}

/**
 * Validates the body against the schema mapped to its type. A type without a schema is rejected (422
 * `event_type_unknown`) or accepted untyped, as the source says.
 */
export function assertMatchesSchema(source: SourceConfig, type: string, body: unknown, schemas: SchemaCheck): void {
  const schema = schemaFor(source, type);
  if (!schema) {
    if (source.unknownTypes === 'reject') throw new AppError('event_type_unknown', `source ${source.id} has no schema for event type ${type}`, { eventType: type });
    return;
  }
  const errors = schemas.validate(schema, body);
  if (errors.length > 0) throw new AppError('schema_violation', `the body does not match schema ${schema} (${errors.length} error${errors.length > 1 ? 's' : ''})`, { errors, schema });
}
