import type { Component, HubContext } from '../app/context';
import { AgentsConsumer } from '../../consumers/agents';
import { DocumentsRepository } from './data-access/documents';
import { ExecutionsRepository } from './data-access/executions';
import { agentsModels, ensureAgentsIndexes } from './data-access/models';
import { AgentsRepository, RoutesRepository } from './data-access/registry';
import { KafkaResultPublisher } from './data-access/results';
import { AgentStatusRepository } from './data-access/status';
import { RegistryCache } from './domain/registry-cache';
import { AgentsStage } from './domain/stage';
import { resultCallbackRouter } from './entry-points/http';
import { agentsMetrics } from './entry-points/metrics';
import { createRunners } from './runners';

/** Upserts the config file's agents and routes (source `config`); unchanged ones keep their version. */
export async function syncConfigObjects(ctx: HubContext): Promise<void> {
  const agents = new AgentsRepository(ctx.mongo);
  const routes = new RoutesRepository(ctx.mongo);
  for (const a of ctx.config.agents) {
    if (a.inputSchema && !ctx.schemas.has(a.inputSchema)) throw new Error(`agent ${a.name}: inputSchema ${a.inputSchema} is not a schema under schemas/`);
    await agents.upsert(a, 'config');
  }
  for (const r of ctx.config.routes) await routes.upsert(r, 'config');
}

/** The inbound topics that exist now: every `<prefix>.in.*` topic (sources from config and from the API) and config sources' own topics. */
export async function listInboundTopics(ctx: HubContext): Promise<string[]> {
  const prefix = ctx.topics.inbound('');
  const admin = await ctx.kafka.admin();
  const all = await admin.listTopics();
  const own = new Set(ctx.config.sources.flatMap((s) => (s.topic ? [s.topic] : [])));
  return all.filter((t) => (t.startsWith(prefix) && t.length > prefix.length) || own.has(t)).sort();
}

/** The `agents` role: routes inbound events to agents, runs them, records executions and documents, publishes results. */
export async function createAgentsComponent(ctx: HubContext): Promise<Component> {
  const executions = new ExecutionsRepository(ctx.mongo);
  const agentsRepo = new AgentsRepository(ctx.mongo);
  const routesRepo = new RoutesRepository(ctx.mongo);
  const metrics = agentsMetrics(ctx.metrics);
  const registry = new RegistryCache({ listAgents: () => agentsRepo.list(), listRoutes: () => routesRepo.list(), version: () => agentsRepo.registryVersion() });
  const stage = new AgentsStage({
    executions,
    documents: new DocumentsRepository(ctx.mongo),
    status: new AgentStatusRepository(ctx.mongo),
    registry,
    runners: createRunners({ schemas: ctx.schemas, awaitResult: (id, deadline, signal) => executions.awaitAsyncResult(id, deadline, signal) }),
    schemas: ctx.schemas,
    publisher: metrics.counting(new KafkaResultPublisher(ctx.kafka, ctx.topics.results)),
    logger: ctx.logger,
    leaseMs: ctx.env.agentsLeaseMs,
    defaultTimeoutMs: ctx.env.agentsDefaultTimeoutMs,
    defaultConcurrency: ctx.env.agentsDefaultConcurrency,
  });
  const consumer = new AgentsConsumer({ ctx, stage, listTopics: () => listInboundTopics(ctx), onRefresh: () => registry.refresh(), onDeadLetter: (code) => metrics.deadLetters.inc({ code }) });
  return {
    name: 'agents',
    async start() {
      await ensureAgentsIndexes(agentsModels(ctx.mongo));
      await syncConfigObjects(ctx);
      await registry.refresh();
      // `<prefix>.in.api` carries the Management API's `POST /agents/{name}/executions` requests: subscribe from the start.
      await ctx.kafka.ensureTopics([...ctx.config.sources.map((s) => s.topic ?? ctx.topics.inbound(s.id)), ctx.topics.inbound('api')]);
      await consumer.start();
    },
    async stop() {
      await consumer.stop();
    },
  };
}

/** Part of the `api` role: the signed result callback of async http agents. */
export function createExecutionResultCallback(ctx: HubContext): Component {
  return {
    name: 'agents-result-callback',
    mount(app) {
      app.use(resultCallbackRouter({ executions: new ExecutionsRepository(ctx.mongo), agents: new AgentsRepository(ctx.mongo), schemas: ctx.schemas }));
    },
  };
}
