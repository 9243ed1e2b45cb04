/**
 * What other components (the api) use from agents: the stores of agents, routes, executions, documents and
 * statuses, the rules an agent defined through the API must satisfy, Markdown definitions, derived ids and the
 * model. Everything else in src/agents is internal.
 */
export { agentCheckDeps, agentProblems, fieldErrors, refusalCode, type AgentCheckDeps, type AgentProblem } from './agent-checks';
export { DocumentsRepository, type DocumentMetaChanges } from './data-access/documents';
export { ExecutionsRepository } from './data-access/executions';
export { AgentsRepository, RoutesRepository } from './data-access/registry';
export { AgentStatusRepository } from './data-access/status';
export { executionIdFor, resultEventIdFor } from './domain/ids';
export { AgentMarkdownError, parseAgentMarkdown } from './domain/markdown';
export { isFinal, type Agent, type AgentStatus, type Execution, type ExecutionStatus, type Route, type StoredDocument } from './domain/model';
