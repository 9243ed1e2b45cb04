import { FreshSnapshot } from '../../platform/fresh-snapshot';
import type { Agent, Route } from './model';

export interface RegistrySource {
  listAgents(): Promise<Agent[]>;
  listRoutes(): Promise<Route[]>;
  /** Changes whenever an agent or a route changed (see ConfigVersions). */
  version(): Promise<string>;
}

interface Registry {
  agents: Map<string, Agent>;
  routes: Route[];
}

const EMPTY: Registry = { agents: new Map(), routes: [] };

/**
 * Agents and routes as the stage sees them: `fresh()` (called before a batch is planned) checks the registry
 * version and re-reads both only when it moved, so a change answered by the API before an event was produced
 * applies to that event in every process. `refresh()` re-reads unconditionally (at start, and periodically as
 * a backstop for changes written to MongoDB by other means).
 */
export class RegistryCache {
  private readonly snapshot: FreshSnapshot<Registry>;

  constructor(source: RegistrySource) {
    this.snapshot = new FreshSnapshot({
      version: () => source.version(),
      load: async () => {
        const [agents, routes] = await Promise.all([source.listAgents(), source.listRoutes()]);
        return { agents: new Map(agents.map((a) => [a.name, a])), routes: routes.filter((r) => r.enabled !== false) };
      },
    });
  }

  /** As of the last check. */
  get agents(): Map<string, Agent> {
    return (this.snapshot.current ?? EMPTY).agents;
  }

  /** Enabled routes, as of the last check. */
  get routes(): Route[] {
    return (this.snapshot.current ?? EMPTY).routes;
  }

  /** Brings `agents` and `routes` up to every change answered before this call. */
  async fresh(): Promise<void> {
    await this.snapshot.fresh();
  }

  async refresh(): Promise<void> {
    await this.snapshot.reload();
  }
}
