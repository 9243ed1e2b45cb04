import type { Connection } from 'mongoose';
import { FINAL_STATUSES, type AgentStatus, type FinalStatus } from '../domain/model';
import { agentsModels, type AgentStatusDoc, type AgentsModels } from './models';

/** A change to one agent's status: a run started (+1 running) and/or finished with an outcome. */
import type { StatusChange } from '../domain/ports';

export type { StatusChange };

function toStatus(d: AgentStatusDoc): AgentStatus {
  return {
    agent: d._id,
    running: Math.max(0, d.running ?? 0),
    ...(d.lastRunAt ? { lastRunAt: d.lastRunAt } : {}),
    ...(d.lastOutcome ? { lastOutcome: d.lastOutcome as FinalStatus } : {}),
    ...(d.lastExecutionId ? { lastExecutionId: d.lastExecutionId } : {}),
    counts: Object.fromEntries(FINAL_STATUSES.map((s) => [s, d[s] ?? 0])) as Record<FinalStatus, number>,
  };
}

/**
 * Per-agent status kept up to date with `$inc`/`$set` on every transition (one small document per agent), so
 * reading it is one cheap lookup. Changes of a batch are folded into one update per agent.
 */
export class AgentStatusRepository {
  private readonly m: AgentsModels;
  constructor(conn: Connection) {
    this.m = agentsModels(conn);
  }

  async apply(changes: StatusChange[]): Promise<void> {
    const perAgent = new Map<string, { inc: Record<string, number>; set: Record<string, unknown>; lastAt?: Date }>();
    for (const c of changes) {
      let e = perAgent.get(c.agent);
      if (!e) perAgent.set(c.agent, (e = { inc: {}, set: {} }));
      if (c.runningDelta) e.inc.running = (e.inc.running ?? 0) + c.runningDelta;
      if (c.outcome) {
        e.inc[c.outcome] = (e.inc[c.outcome] ?? 0) + 1;
        const at = c.at ?? new Date();
        if (!e.lastAt || at >= e.lastAt) {
          e.lastAt = at;
          e.set = { lastRunAt: at, lastOutcome: c.outcome, ...(c.executionId ? { lastExecutionId: c.executionId } : {}) };
        }
      }
    }
    const ops = [...perAgent.entries()]
      .filter(([, e]) => Object.keys(e.inc).length > 0 || Object.keys(e.set).length > 0)
      .map(([agent, e]) => ({
        updateOne: {
          filter: { _id: agent },
          update: { ...(Object.keys(e.inc).length ? { $inc: e.inc } : {}), ...(Object.keys(e.set).length ? { $set: e.set } : {}) },
          upsert: true,
        },
      }));
    if (ops.length > 0) await this.m.AgentStatus.bulkWrite(ops, { ordered: false });
  }

  async get(agent: string): Promise<AgentStatus> {
    const d = await this.m.AgentStatus.findById(agent).lean<AgentStatusDoc>();
    return d ? toStatus(d) : toStatus({ _id: agent, running: 0, succeeded: 0, failed: 0, timed_out: 0, cancelled: 0 });
  }

  async list(): Promise<AgentStatus[]> {
    const docs = await this.m.AgentStatus.find({}).sort({ _id: 1 }).lean<AgentStatusDoc[]>();
    return docs.map(toStatus);
  }
}
