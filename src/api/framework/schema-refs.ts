import { SCHEMA_BASE, type SchemaRegistry } from '../../platform/schemas';

export type JsonSchema = Record<string, unknown>;

export const schemaFile = (name: string): string => (name.endsWith('.json') ? name : `${name}.json`);

/** A `$ref` found in schema `from` as the target schema file (registry name) and a JSON pointer inside it. */
export function resolveRef(from: string, ref: string): { file: string; pointer: string } {
  const url = new URL(ref, SCHEMA_BASE + schemaFile(from));
  const full = url.href.slice(0, url.href.length - url.hash.length);
  if (!full.startsWith(SCHEMA_BASE)) throw new Error(`schema ${from}: $ref ${ref} points outside the schemas folder`);
  return { file: full.slice(SCHEMA_BASE.length), pointer: decodeURIComponent(url.hash.replace(/^#/, '')) };
}

export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Follows `$ref`s until a schema without one, returning it and the file it lives in. */
export function deref(schemas: SchemaRegistry, file: string, schema: JsonSchema): { file: string; schema: JsonSchema } {
  let cur = schema;
  let where = file;
  for (let i = 0; i < 16 && typeof cur.$ref === 'string'; i += 1) {
    const { file: target, pointer } = resolveRef(where, cur.$ref);
    const doc = schemas.document(target);
    const next = atPointer(doc, pointer);
    if (!next || typeof next !== 'object') throw new Error(`schema ${where}: cannot resolve $ref ${cur.$ref}`);
    cur = next as JsonSchema;
    where = target;
  }
  return { file: where, schema: cur };
}

export function requireSchema(schemas: SchemaRegistry, name: string): JsonSchema {
  const doc = schemas.document(name);
  if (!doc) throw new Error(`api: no schema named ${name} under schemas/`);
  return doc;
}

/** Properties of a flat object schema (params/query), each dereferenced. */
export function flatProperties(schemas: SchemaRegistry, name: string): { props: Map<string, JsonSchema>; required: Set<string> } {
  const { file, schema } = deref(schemas, schemaFile(name), requireSchema(schemas, name));
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) {
    throw new Error(`api: schema ${name} must be an object with properties (path and query parameters are flat)`);
  }
  const props = new Map<string, JsonSchema>();
  for (const [k, v] of Object.entries(schema.properties as Record<string, JsonSchema>)) props.set(k, deref(schemas, file, v).schema);
  return { props, required: new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []) };
}
