import fs from 'node:fs';
import { parse } from 'yaml';
import type { SchemaRegistry } from '../platform/schemas';
import { ConfigError } from './env';
import type { HubConfig } from './types';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands `${NAME}` and `${NAME:-default}` in every string of the parsed document (never in the raw text, so a
 * secret cannot inject YAML). A reference to an unset variable without a default fails naming the key.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, at = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(REF, (_m, name: string, def: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (def !== undefined) return def;
      throw new ConfigError(`${at || '/'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${at}/${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, `${at}/${k}`)]));
  }
  return value;
}

/** Secret fields of hookhub.yaml, as paths of object keys (`*` = every array item). */
const SECRET_FIELDS = [
  ['sources', '*', 'verification', 'secrets', '*'],
  ['subscriptions', '*', 'secret'],
  ['agents', '*', 'runner', 'secret'],
];

/** The variables the secret fields of an (unexpanded) config document take their values from. */
export function secretVariables(doc: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown, path: string[]): void => {
    if (path.length === 0) {
      if (typeof v === 'string') for (const m of v.matchAll(REF)) names.add(m[1] as string);
      return;
    }
    const [head, ...rest] = path;
    if (head === '*') {
      if (Array.isArray(v)) for (const x of v) walk(x, rest);
    } else if (v && typeof v === 'object') walk((v as Record<string, unknown>)[head as string], rest);
  };
  for (const path of SECRET_FIELDS) walk(doc, path);
  return [...names].sort();
}

export const emptyHubConfig = (): HubConfig => ({ sources: [], agents: [], routes: [], subscriptions: [] });

/** Parses, expands and validates a hub config document against `schemas/config/hookhub.json`. */
export function parseHubConfig(text: string, schemas: SchemaRegistry, env: NodeJS.ProcessEnv, file = 'config'): HubConfig {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML (${(err as Error).message})`);
  }
  const expanded = expandEnv(doc, env);
  const errors = schemas.validate('config/hookhub', expanded);
  if (errors.length > 0) {
    throw new ConfigError(`${file}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
  return { ...emptyHubConfig(), ...(expanded as Partial<HubConfig>), secretVariables: secretVariables(doc) };
}

/** Loads the hub config file; a missing file is an empty config only when `optional`. */
export function loadHubConfig(file: string, schemas: SchemaRegistry, env: NodeJS.ProcessEnv, optional = false): HubConfig {
  if (!fs.existsSync(file)) {
    if (optional) return emptyHubConfig();
    throw new ConfigError(`HOOKHUB_CONFIG: file ${file} does not exist`);
  }
  return parseHubConfig(fs.readFileSync(file, 'utf8'), schemas, env, file);
}

/**
 * The parts of the config file that decide what runners may read (agentSecrets, and the variables webhook
 * secrets come from), read without expanding anything: tools such as `hookhub agents import` need them without
 * the hub's secrets being set. A missing file lists nothing.
 */
export function loadSecretPolicyInputs(file: string): Pick<HubConfig, 'agentSecrets' | 'secretVariables'> {
  if (!fs.existsSync(file)) return { agentSecrets: [], secretVariables: [] };
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML (${(err as Error).message})`);
  }
  const listed = (doc as { agentSecrets?: unknown }).agentSecrets;
  return { agentSecrets: Array.isArray(listed) ? listed.filter((x): x is string => typeof x === 'string') : [], secretVariables: secretVariables(doc) };
}
