import type { Agent, Route } from './model';

export interface RegistrySource {
  listAgents(): Promise<Agent[]>;
  listRoutes(): Promise<Route[]>;
}

/**
 * Agents and routes as the consumer sees them: read from MongoDB at start and re-read periodically, so
 * changes through the API reach running consumers without a restart.
 */
export class RegistryCache {
  agents = new Map<string, Agent>();
  routes: Route[] = [];

  constructor(private readonly source: RegistrySource) {}

  async refresh(): Promise<void> {
    const [agents, routes] = await Promise.all([this.source.listAgents(), this.source.listRoutes()]);
    this.agents = new Map(agents.map((a) => [a.name, a]));
    this.routes = routes.filter((r) => r.enabled !== false);
  }
}
