import path from 'node:path';
import { packageRoot } from '../platform/paths';
import { settings, type Env, type Setting, type SettingKey } from './settings';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function parseValue(key: string, s: Setting<unknown>, raw: string): unknown {
  const where = `${s.env} (${key})`;
  switch (s.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${where} must be an integer, got "${raw}"`);
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) throw new ConfigError(`${where} must be >= ${s.min}, got ${n}`);
      if (s.max !== undefined && n > s.max) throw new ConfigError(`${where} must be <= ${s.max}, got ${n}`);
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new ConfigError(`${where} must be true or false, got "${raw}"`);
    }
    case 'list':
      return raw.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    case 'enum':
      if (!s.choices?.includes(raw)) throw new ConfigError(`${where} must be one of ${s.choices?.join(', ')}, got "${raw}"`);
      return raw;
    case 'url':
      try {
        new URL(raw);
      } catch {
        throw new ConfigError(`${where} must be a URL, got "${raw.replace(/\/\/[^@]*@/, '//***@')}"`);
      }
      return raw;
    case 'string':
      return raw;
  }
}

/** Reads every setting from the environment (or `overrides`), validates it and fails naming the bad key. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env, overrides: Partial<Env> = {}): Env {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings) as [SettingKey, Setting<unknown>][]) {
    if (key in overrides) {
      out[key] = overrides[key];
      continue;
    }
    const raw = source[s.env];
    out[key] = raw === undefined || raw === '' ? s.default : parseValue(key, s, raw);
  }
  const env = out as Env;
  if (env.kafkaBrokers.length === 0) throw new ConfigError('KAFKA_BROKERS (kafkaBrokers) must name at least one broker');
  if (!env.schemasDir) env.schemasDir = path.join(packageRoot(), 'schemas');
  if (!env.replayExportDir) env.replayExportDir = path.resolve('.hookhub', 'exports');
  return env;
}
