import type { Component, HubContext } from '../app/context';
import { kafkaEntryPoints } from '../app/entry-points';
import { DeadLetterWriter } from '../platform/consumer';
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
import { agentCheckDeps, agentProblems, agentSecretPolicy } from './agent-checks';
import { GuardedHttpClient } from '../platform/outbound/client';
import { OutboundGuard, outboundAllowEntries } from '../platform/outbound/guard';

/**
 * Upserts the config file's agents and routes (source `config`); unchanged ones keep their version. A config
 * agent gets the API's checks except the command ban and the URL check (hookhub.yaml is reviewed with the
 * deployment; the outbound guard still checks every request it makes).
 */
export async function syncConfigObjects(ctx: HubContext): Promise<void> {
  const agents = new AgentsRepository(ctx.mongo);
  const routes = new RoutesRepository(ctx.mongo);
  const checks = agentCheckDeps(ctx.env, ctx.config, ctx.schemas);
  for (const a of ctx.config.agents) {
    const problems = (await agentProblems(checks, a, `/agents/${a.name}`, { allowCommand: true })).filter((p) => p.code !== 'outbound_url_forbidden');
    if (problems.length > 0) throw new Error(`agent ${a.name}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
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
  const outbound = new GuardedHttpClient(new OutboundGuard(outboundAllowEntries(ctx.env)), ctx.env.outboundMaxResponseBytes);
  const registry = new RegistryCache({ listAgents: () => agentsRepo.list(), listRoutes: () => routesRepo.list(), version: () => agentsRepo.registryVersion() });
  const stage = new AgentsStage({
    executions,
    documents: new DocumentsRepository(ctx.mongo),
    status: new AgentStatusRepository(ctx.mongo),
    registry,
    runners: createRunners({
      schemas: ctx.schemas,
      awaitResult: (id, deadline, signal) => executions.awaitAsyncResult(id, deadline, signal),
      http: outbound,
      secrets: agentSecretPolicy(ctx.config),
    }),
    schemas: ctx.schemas,
    publisher: metrics.counting(new KafkaResultPublisher(ctx.kafka, ctx.topics.results)),
    logger: ctx.logger,
    leaseMs: ctx.env.agentsLeaseMs,
    defaultTimeoutMs: ctx.env.agentsDefaultTimeoutMs,
    defaultConcurrency: ctx.env.agentsDefaultConcurrency,
  });
  const consumer = kafkaEntryPoints(ctx).agents(ctx, {
    stage,
    topics: () => listInboundTopics(ctx),
    refresh: () => registry.refresh(),
    deadLetters: new DeadLetterWriter(ctx.kafka, ctx.topics.dlq('agents'), 'agents', (d) => metrics.deadLetters.inc({ code: d.code })),
  });
  return {
    name: 'agents',
    async start() {
      await ensureAgentsIndexes(agentsModels(ctx.mongo));
      await syncConfigObjects(ctx);
      await registry.refresh();
      // `<prefix>.in.api` carries the Management API's `POST /agents/{name}/executions` requests: subscribe from the start.
      await ctx.kafka.ensureTopics([...ctx.config.sources.map((s) => s.topic ?? ctx.topics.inbound(s.id)), ctx.topics.inbound('api'), ctx.topics.dlq('agents'), ctx.topics.results]);
      await consumer.start();
    },
    async stop() {
      await consumer.stop();
      await outbound.close();
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
