import { isDeepStrictEqual } from 'node:util';
import type { Connection } from 'mongoose';
import type { AgentConfig, RouteConfig, RunnerConfig } from '../../config/types';
import { secretBoxOf, type Sealer } from '../../platform/secrets/secret-box';
import { ConfigVersions } from '../../platform/config-versions';
import type { Agent, ObjectSource, Route } from '../domain/model';
import { agentsModels, type AgentDoc, type AgentsModels, type RouteDoc } from './models';

/** An http runner's secret and header values passed through `f` (seal on write, open on read); other runners as they are. */
function mapRunnerSecrets(runner: RunnerConfig, f: (v: string) => string): RunnerConfig {
  if (runner.kind !== 'http') return runner;
  return { ...runner, secret: f(runner.secret), ...(runner.headers ? { headers: Object.fromEntries(Object.entries(runner.headers).map(([k, v]) => [k, f(v)])) } : {}) };
}

const runnerSecretsCurrent = (runner: RunnerConfig, box: Sealer): boolean =>
  runner.kind !== 'http' || (box.isCurrent(runner.secret) && Object.values(runner.headers ?? {}).every((v) => box.isCurrent(v)));

function toAgent(d: AgentDoc, box: Sealer): Agent {
  return {
    name: d._id,
    ...(d.team !== undefined ? { team: d.team } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    runner: mapRunnerSecrets(JSON.parse(d.runnerJson) as RunnerConfig, (v) => box.open(v)),
    ...(d.inputSchema !== undefined ? { inputSchema: d.inputSchema } : {}),
    ...(d.instructions !== undefined ? { instructions: d.instructions } : {}),
    ...(d.timeoutMs !== undefined ? { timeoutMs: d.timeoutMs } : {}),
    ...(d.maxConcurrency !== undefined ? { maxConcurrency: d.maxConcurrency } : {}),
    ...(d.retry ? { retry: d.retry } : {}),
    enabled: d.enabled,
    tools: d.tools ?? [],
    source: d.source as ObjectSource,
    version: d.version,
    updatedAt: d.updatedAt,
  };
}

function agentFields(a: AgentConfig): Omit<AgentDoc, '_id' | 'source' | 'version' | 'createdAt' | 'updatedAt'> {
  return {
    team: a.team,
    description: a.description,
    runnerKind: a.runner.kind,
    runnerJson: JSON.stringify(a.runner),
    inputSchema: a.inputSchema,
    instructions: a.instructions,
    timeoutMs: a.timeoutMs,
    maxConcurrency: a.maxConcurrency,
    retry: a.retry,
    enabled: a.enabled ?? true,
    tools: a.tools ?? [],
  };
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The agent registry (`agents` collection): config-file, API and Markdown-imported agents. Every change bumps
 * the agents version before it resolves, so the agents stage runs later events with it (ConfigVersions). An
 * http runner's secret and header values are stored sealed (SecretBox) inside `runnerJson` and read back plain;
 * "is this upsert a change?" is decided on plain values, since every sealing differs.
 */
export class AgentsRepository {
  private readonly m: AgentsModels;
  private readonly versions: ConfigVersions;
  private readonly box: Sealer;
  constructor(conn: Connection) {
    this.m = agentsModels(conn);
    this.versions = new ConfigVersions(conn);
    this.box = secretBoxOf(conn);
  }

  /** Fields as stored: `runnerJson` with the runner's secrets sealed. */
  private sealed(fields: ReturnType<typeof agentFields>): ReturnType<typeof agentFields> {
    return { ...fields, runnerJson: JSON.stringify(mapRunnerSecrets(JSON.parse(fields.runnerJson) as RunnerConfig, (v) => this.box.seal(v))) };
  }

  /** Seals runner secrets that are plain or sealed with an older key; returns how many agents changed. */
  async resealSecrets(): Promise<number> {
    let changed = 0;
    for (const d of await this.m.Agent.find({}, { runnerJson: 1 }).lean<AgentDoc[]>()) {
      const runner = JSON.parse(d.runnerJson) as RunnerConfig;
      if (runnerSecretsCurrent(runner, this.box)) continue;
      await this.m.Agent.updateOne({ _id: d._id }, { $set: { runnerJson: JSON.stringify(mapRunnerSecrets(runner, (v) => this.box.reseal(v))) } });
      changed += 1;
    }
    if (changed) await this.versions.bump('agents');
    return changed;
  }

  /** Changes whenever an agent or a route changed (see ConfigVersions). */
  registryVersion(): Promise<string> {
    return this.versions.read(['agents', 'routes']);
  }

  async list(filter: { team?: string; enabled?: boolean } = {}): Promise<Agent[]> {
    const docs = await this.m.Agent.find(defined(filter)).sort({ _id: 1 }).lean<AgentDoc[]>();
    return docs.map((d) => toAgent(d, this.box));
  }

  async get(name: string): Promise<Agent | undefined> {
    const d = await this.m.Agent.findById(name).lean<AgentDoc>();
    return d ? toAgent(d, this.box) : undefined;
  }

  /**
   * Creates or replaces an agent; the version goes up only when something changed, so re-reading the same
   * config file at every boot leaves the version alone. Returns the stored agent and whether it changed.
   */
  async upsert(config: AgentConfig, source: ObjectSource): Promise<{ agent: Agent; changed: boolean }> {
    const plain = agentFields(config);
    const fields = this.sealed(plain);
    const now = new Date();
    const existing = await this.m.Agent.findById(config.name).lean<AgentDoc>();
    if (existing) {
      const before = { ...defined(agentFields(toAgent(existing, this.box))), source: existing.source };
      if (isDeepStrictEqual(before, { ...defined(plain), source })) return { agent: toAgent(existing, this.box), changed: false };
      const unset = Object.fromEntries(Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => [k, 1]));
      const d = await this.m.Agent.findOneAndUpdate(
        { _id: config.name },
        { $set: { ...defined(fields), source, updatedAt: now }, $unset: unset, $inc: { version: 1 } },
        { new: true },
      ).lean<AgentDoc>();
      if (d) {
        await this.versions.bump('agents');
        return { agent: toAgent(d, this.box), changed: true };
      }
    }
    try {
      await this.m.Agent.create({ _id: config.name, ...defined(fields), source, version: 1, createdAt: now, updatedAt: now });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return this.upsert(config, source);
      throw err;
    }
    await this.versions.bump('agents');
    return { agent: (await this.get(config.name)) as Agent, changed: true };
  }

  /** Agents in name order after `afterName`, `limit + 1` of them (the extra one says there is a next page). */
  async page(q: { afterName?: string; limit: number; team?: string; enabled?: boolean }): Promise<Agent[]> {
    const where: Record<string, unknown>[] = [];
    if (q.afterName !== undefined) where.push({ _id: { $gt: String(q.afterName) } });
    if (q.team !== undefined) where.push({ team: String(q.team) });
    if (q.enabled !== undefined) where.push({ enabled: q.enabled === true });
    const docs = await this.m.Agent.find(where.length ? { $and: where } : {}).sort({ _id: 1 }).limit(q.limit + 1).lean<AgentDoc[]>();
    return docs.map((d) => toAgent(d, this.box));
  }

  /** Creates a new agent; 'exists' when the name is taken. */
  async insert(config: AgentConfig, source: ObjectSource): Promise<Agent | 'exists'> {
    const now = new Date();
    try {
      await this.m.Agent.create({ _id: config.name, ...defined(this.sealed(agentFields(config))), source, version: 1, createdAt: now, updatedAt: now });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'exists';
      throw err;
    }
    await this.versions.bump('agents');
    return (await this.get(config.name)) as Agent;
  }

  /** Replaces an agent when its version is still `expectedVersion` (any version when undefined); bumps the version. */
  async replace(config: AgentConfig, source: ObjectSource, expectedVersion?: number): Promise<Agent | 'not_found' | 'version_mismatch'> {
    const fields = this.sealed(agentFields(config));
    const unset = Object.fromEntries(Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => [k, 1]));
    const where = expectedVersion === undefined ? { _id: config.name } : { _id: config.name, version: expectedVersion };
    const d = await this.m.Agent.findOneAndUpdate(where, { $set: { ...defined(fields), source, updatedAt: new Date() }, $unset: unset, $inc: { version: 1 } }, { new: true }).lean<AgentDoc>();
    if (d) {
      await this.versions.bump('agents');
      return toAgent(d, this.box);
    }
    return (await this.get(config.name)) ? 'version_mismatch' : 'not_found';
  }

  async delete(name: string): Promise<boolean> {
    const r = await this.m.Agent.deleteOne({ _id: name });
    if (r.deletedCount !== 1) return false;
    await this.versions.bump('agents');
    return true;
  }
}

function toRoute(d: RouteDoc): Route {
  return {
    id: d._id,
    ...(d.source !== undefined ? { source: d.source } : {}),
    eventType: d.eventType,
    ...(d.filterJson ? { filter: JSON.parse(d.filterJson) as Record<string, string | number | boolean> } : {}),
    agent: d.agent,
    ...(d.task !== undefined ? { task: d.task } : {}),
    ...(d.inputJson ? { input: JSON.parse(d.inputJson) as Record<string, unknown> } : {}),
    enabled: d.enabled,
    origin: d.origin as ObjectSource,
    version: d.version,
    updatedAt: d.updatedAt,
  };
}

function routeFields(r: RouteConfig): Omit<RouteDoc, '_id' | 'origin' | 'version' | 'createdAt' | 'updatedAt'> {
  return {
    source: r.source,
    eventType: r.eventType,
    filterJson: r.filter ? JSON.stringify(r.filter) : undefined,
    agent: r.agent,
    task: r.task,
    inputJson: r.input ? JSON.stringify(r.input) : undefined,
    enabled: r.enabled ?? true,
  };
}

/**
 * Routing rules (`routes` collection). Filters and input mappings are stored as JSON strings (pointer keys).
 * Every change bumps the routes version before it resolves (ConfigVersions).
 */
export class RoutesRepository {
  private readonly m: AgentsModels;
  private readonly versions: ConfigVersions;
  constructor(conn: Connection) {
    this.m = agentsModels(conn);
    this.versions = new ConfigVersions(conn);
  }

  async list(filter: { agent?: string } = {}): Promise<Route[]> {
    const docs = await this.m.Route.find(defined(filter)).sort({ _id: 1 }).lean<RouteDoc[]>();
    return docs.map(toRoute);
  }

  async get(id: string): Promise<Route | undefined> {
    const d = await this.m.Route.findById(id).lean<RouteDoc>();
    return d ? toRoute(d) : undefined;
  }

  async upsert(config: RouteConfig, origin: ObjectSource): Promise<{ route: Route; changed: boolean }> {
    const fields = routeFields(config);
    const now = new Date();
    const existing = await this.m.Route.findById(config.id).lean<RouteDoc>();
    if (existing) {
      const before = { ...defined(routeFields(toRoute(existing))), origin: existing.origin };
      if (isDeepStrictEqual(before, { ...defined(fields), origin })) return { route: toRoute(existing), changed: false };
      const unset = Object.fromEntries(Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => [k, 1]));
      const d = await this.m.Route.findOneAndUpdate(
        { _id: config.id },
        { $set: { ...defined(fields), origin, updatedAt: now }, $unset: unset, $inc: { version: 1 } },
        { new: true },
      ).lean<RouteDoc>();
      if (d) {
        await this.versions.bump('routes');
        return { route: toRoute(d), changed: true };
      }
    }
    try {
      await this.m.Route.create({ _id: config.id, ...defined(fields), origin, version: 1, createdAt: now, updatedAt: now });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return this.upsert(config, origin);
      throw err;
    }
    await this.versions.bump('routes');
    return { route: (await this.get(config.id)) as Route, changed: true };
  }

  /** Routes in id order after `afterId`, `limit + 1` of them. */
  async page(q: { afterId?: string; limit: number; agent?: string; source?: string; enabled?: boolean }): Promise<Route[]> {
    const where: Record<string, unknown>[] = [];
    if (q.afterId !== undefined) where.push({ _id: { $gt: String(q.afterId) } });
    if (q.agent !== undefined) where.push({ agent: String(q.agent) });
    if (q.source !== undefined) where.push({ source: String(q.source) });
    if (q.enabled !== undefined) where.push({ enabled: q.enabled === true });
    const docs = await this.m.Route.find(where.length ? { $and: where } : {}).sort({ _id: 1 }).limit(q.limit + 1).lean<RouteDoc[]>();
    return docs.map(toRoute);
  }

  /** Creates a new route; 'exists' when the id is taken. */
  async insert(config: RouteConfig, origin: ObjectSource): Promise<Route | 'exists'> {
    const now = new Date();
    try {
      await this.m.Route.create({ _id: config.id, ...defined(routeFields(config)), origin, version: 1, createdAt: now, updatedAt: now });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'exists';
      throw err;
    }
    await this.versions.bump('routes');
    return (await this.get(config.id)) as Route;
  }

  /** Replaces a route when its version is still `expectedVersion` (any version when undefined); bumps the version. */
  async replace(config: RouteConfig, origin: ObjectSource, expectedVersion?: number): Promise<Route | 'not_found' | 'version_mismatch'> {
    const fields = routeFields(config);
    const unset = Object.fromEntries(Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => [k, 1]));
    const where = expectedVersion === undefined ? { _id: config.id } : { _id: config.id, version: expectedVersion };
    const d = await this.m.Route.findOneAndUpdate(where, { $set: { ...defined(fields), origin, updatedAt: new Date() }, $unset: unset, $inc: { version: 1 } }, { new: true }).lean<RouteDoc>();
    if (d) {
      await this.versions.bump('routes');
      return toRoute(d);
    }
    return (await this.get(config.id)) ? 'version_mismatch' : 'not_found';
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.m.Route.deleteOne({ _id: id });
    if (r.deletedCount !== 1) return false;
    await this.versions.bump('routes');
    return true;
  }
}
