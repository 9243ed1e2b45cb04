/**
 * What other components use from analysts: the analytics store, its buffered recorder (ingest and delivery hand
 * it rejected webhooks and delivery attempts) and its reports; replay jobs and the times they read. Everything
 * else in src/analysts is internal.
 */
export { BufferedAnalyticsRecorder } from './analytics/buffered-recorder';
export { AnalyticsStore } from './analytics/data-access/rollups';
export type { Resolution } from './analytics/domain/buckets';
export type { RangeQuery } from './analytics/domain/report';
export { agentAnalytics, deliveryAnalytics, ingestAnalytics, teamAnalytics } from './analytics/queries';
export { ReplayRepository, type ReplayStatus } from './replay/data-access/replay-repository';
export { cancelReplay, createReplay, getReplay, listReplays, parseTime, replayExportFile, type ReplayJobDeps, type ReplayRequest } from './replay/domain/jobs';
