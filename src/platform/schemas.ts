import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const SCHEMA_BASE = 'https://hookhub.dev/schemas/';

export interface FieldError {
  path: string;
  message: string;
}

export class SchemaLoadError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`schema ${file}: ${reason}`);
    this.name = 'SchemaLoadError';
  }
}

/** Turns ajv errors into `{path, message}` with JSON-pointer paths, one entry per failing field. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    let p = e.instancePath || '';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') p = `${p}/${String((e.params as { missingProperty: string }).missingProperty)}`;
    if (e.keyword === 'additionalProperties') {
      p = `${p}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
      message = 'is not allowed';
    }
    if (e.keyword === 'enum') message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
    return { path: p || '/', message };
  });
}

/**
 * Every JSON Schema (draft 2020-12) under one folder, compiled once. A schema's id is its path relative to the
 * folder (`github/push.json`), so `$ref: "../common/actor.json"` works between files.
 */
export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(readonly dir: string) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(this.ajv);
  }

  static load(dir: string): SchemaRegistry {
    const reg = new SchemaRegistry(dir);
    const files = listJson(dir);
    const ids: string[] = [];
    for (const file of files) {
      const rel = path.relative(dir, file).split(path.sep).join('/');
      let schema: Record<string, unknown>;
      try {
        schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch (err) {
        throw new SchemaLoadError(rel, `not valid JSON (${(err as Error).message})`);
      }
      const id = SCHEMA_BASE + rel;
      try {
        reg.ajv.addSchema({ ...schema, $id: id }, id);
      } catch (err) {
        throw new SchemaLoadError(rel, (err as Error).message);
      }
      ids.push(rel);
    }
    for (const rel of ids) {
      try {
        const fn = reg.ajv.getSchema(SCHEMA_BASE + rel);
        if (!fn) throw new Error('did not compile');
        reg.validators.set(rel, fn);
      } catch (err) {
        throw new SchemaLoadError(rel, (err as Error).message);
      }
    }
    return reg;
  }

  has(name: string): boolean {
    return this.validators.has(normalise(name));
  }

  names(): string[] {
    return [...this.validators.keys()].sort();
  }

  /** Validates `value` against the schema `name` (`github/push` or `github/push.json`). */
  validate(name: string, value: unknown): FieldError[] {
    const fn = this.validators.get(normalise(name));
    if (!fn) return [{ path: '/', message: `no schema named ${name}` }];
    return fn(value) ? [] : toFieldErrors(fn.errors);
  }

  /** The raw schema document, e.g. to publish it in OpenAPI. */
  document(name: string): Record<string, unknown> | undefined {
    const fn = this.validators.get(normalise(name));
    return fn ? (fn.schema as Record<string, unknown>) : undefined;
  }
}

function normalise(name: string): string {
  return name.endsWith('.json') ? name : `${name}.json`;
}

function listJson(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new SchemaLoadError(dir, 'schemas folder does not exist');
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}
