import path from 'node:path';
import { parse } from 'yaml';
import type { AgentConfig } from '../../config/types';

export class AgentMarkdownError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'AgentMarkdownError';
  }
}

const KNOWN = new Set(['name', 'team', 'description', 'runner', 'inputSchema', 'timeoutMs', 'maxConcurrency', 'retry', 'enabled', 'tools']);
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Reads a Markdown agent definition: YAML front matter (`name`, `description`, `team`, `runner`, `tools`, …)
 * then a body that becomes the agent's `instructions` (the LLM runner's system prompt). `tools` may be a list
 * or a comma-separated string; a missing `name` comes from the file name. Keys hookhub does not know (e.g.
 * `color`, `model` of other tools' agent files) are returned in `ignored` rather than failing the import.
 * The result still has to pass schemas/config/agent.json.
 */
export function parseAgentMarkdown(text: string, file = 'agent.md'): { agent: AgentConfig; ignored: string[] } {
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new AgentMarkdownError(file, 'no YAML front matter (a leading --- block)');
  let meta: unknown;
  try {
    meta = parse(m[1] ?? '') ?? {};
  } catch (err) {
    throw new AgentMarkdownError(file, `front matter is not valid YAML (${(err as Error).message})`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new AgentMarkdownError(file, 'front matter must be a mapping');
  const fm = meta as Record<string, unknown>;
  const ignored = Object.keys(fm).filter((k) => !KNOWN.has(k));
  const picked: Record<string, unknown> = Object.fromEntries(Object.entries(fm).filter(([k]) => KNOWN.has(k)));
  if (typeof picked.tools === 'string') picked.tools = picked.tools.split(',').map((t) => t.trim()).filter(Boolean);
  if (picked.name === undefined) picked.name = slug(path.basename(file).replace(/\.(md|markdown)$/i, ''));
  const body = text.slice(m[0].length).trim();
  if (body) picked.instructions = body;
  return { agent: picked as unknown as AgentConfig, ignored };
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
