/**
 * What other components (api, analysts) use from ingest: the sources and the event archive, and the rules a
 * source must satisfy. Everything else in src/ingest is internal.
 */
export { SourcesRepository, type SourceOrigin, type StoredSource } from './data-access/sources-repository';
export { EventsRepository, InvalidCursorError, type EventPage, type EventQuery } from './data-access/events-repository';
export { bodyBytes, type ArchivedEvent } from './domain/archive';
export { sourceProblems } from './domain/sources';
export { topicOfSource, syncConfigSources } from './component';
