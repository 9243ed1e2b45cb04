import type { Connection } from 'mongoose';
import { cursorFilter, PAGE_SORT, pageLimit, toPage, type Page } from '../../platform/pagination';
import { filter } from '../../platform/query-filter';
import type { DocumentDraft, DocumentRef, StoredDocument } from '../domain/model';
import { agentsModels, type AgentsModels, type DocumentDoc } from './models';

function toDocument(d: DocumentDoc): StoredDocument {
  return {
    id: d._id,
    kind: d.kind,
    title: d.title,
    ...(d.body !== undefined ? { body: d.body } : {}),
    ...(d.url !== undefined ? { url: d.url } : {}),
    ...(d.mimeType !== undefined ? { mimeType: d.mimeType } : {}),
    agent: d.agent,
    executionId: d.executionId,
    eventId: d.eventId,
    tags: d.tags ?? [],
    ...(d.metadataJson ? { metadata: JSON.parse(d.metadataJson) as Record<string, unknown> } : {}),
    ...(d.key !== undefined ? { key: d.key } : {}),
    version: d.version,
    revision: d.revision ?? 1,
    createdAt: d.createdAt,
    ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}),
  };
}

/** The API's document search: newest first, a page at a time. */
export interface DocumentPageQuery {
  agent?: string;
  kind?: string;
  tag?: string;
  executionId?: string;
  /** Case-insensitive literal text in the title (escaped, never a pattern). */
  titleContains?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export interface DocumentMetaChanges {
  title?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

export interface DocumentQuery {
  agent?: string;
  kind?: string;
  executionId?: string;
  eventId?: string;
  key?: string;
  tag?: string;
  limit?: number;
}

/**
 * The `documents` collection: what agents produce. A document's id is derived from its execution and position,
 * so writing the same execution's documents again (a retried run) is a no-op. A document with a logical `key`
 * gets the next version of (agent, key); previous versions are kept.
 */
export class DocumentsRepository {
  private readonly m: AgentsModels;
  constructor(conn: Connection) {
    this.m = agentsModels(conn);
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    const d = await this.m.Document.findById(id).lean<DocumentDoc>();
    return d ? toDocument(d) : undefined;
  }

  async list(q: DocumentQuery = {}): Promise<StoredDocument[]> {
    const filter: Record<string, unknown> = {};
    for (const k of ['agent', 'kind', 'executionId', 'eventId', 'key'] as const) if (q[k]) filter[k] = q[k];
    if (q.tag) filter.tags = q.tag;
    const docs = await this.m.Document.find(filter).sort({ createdAt: -1, version: -1 }).limit(Math.min(q.limit ?? 50, 1000)).lean<DocumentDoc[]>();
    return docs.map(toDocument);
  }

  async page(q: DocumentPageQuery): Promise<Page<StoredDocument>> {
    const limit = pageLimit(q.limit);
    const where = filter()
      .eq('agent', q.agent)
      .eq('kind', q.kind)
      .eq('tags', q.tag)
      .eq('executionId', q.executionId)
      .contains('title', q.titleContains)
      .range('createdAt', q.from, q.to)
      .and(cursorFilter(q.cursor))
      .build();
    const docs = await this.m.Document.find(where).sort(PAGE_SORT).limit(limit + 1).lean<DocumentDoc[]>();
    return toPage(docs, limit, (d) => ({ createdAt: d.createdAt, id: d._id }), toDocument);
  }

  async byIds(ids: string[]): Promise<StoredDocument[]> {
    if (ids.length === 0) return [];
    const docs = await this.m.Document.find({ _id: { $in: ids.map(String) } }).lean<DocumentDoc[]>();
    const byId = new Map(docs.map((d) => [d._id, toDocument(d)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Changes title/tags/metadata when the revision is still `expectedRevision` (any when undefined). */
  async updateMeta(id: string, changes: DocumentMetaChanges, expectedRevision?: number): Promise<StoredDocument | 'not_found' | 'version_mismatch'> {
    const current = await this.get(id);
    if (!current) return 'not_found';
    if (expectedRevision !== undefined && expectedRevision !== current.revision) return 'version_mismatch';
    const set: Record<string, unknown> = { revision: current.revision + 1, updatedAt: new Date() };
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.tags !== undefined) set.tags = changes.tags;
    if (changes.metadata !== undefined) set.metadataJson = JSON.stringify(changes.metadata);
    const guard = current.revision === 1 ? { $or: [{ revision: 1 }, { revision: { $exists: false } }] } : { revision: current.revision };
    const d = await this.m.Document.findOneAndUpdate({ _id: id, ...guard }, { $set: set }, { new: true }).lean<DocumentDoc>();
    if (d) return toDocument(d);
    return (await this.get(id)) ? 'version_mismatch' : 'not_found';
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.m.Document.deleteOne({ _id: id });
    return r.deletedCount === 1;
  }

  /** Every version of one logical document, newest first. */
  async versions(agent: string, key: string): Promise<StoredDocument[]> {
    const docs = await this.m.Document.find({ agent, key }).sort({ version: -1 }).lean<DocumentDoc[]>();
    return docs.map(toDocument);
  }

  async write(owner: { agent: string; executionId: string; eventId: string }, drafts: DocumentDraft[]): Promise<DocumentRef[]> {
    const refs: DocumentRef[] = [];
    for (const [i, draft] of drafts.entries()) refs.push(await this.writeOne(owner, draft, `${owner.executionId}-d${i}`));
    return refs;
  }

  private async writeOne(owner: { agent: string; executionId: string; eventId: string }, draft: DocumentDraft, id: string): Promise<DocumentRef> {
    for (let tries = 0; ; tries++) {
      const existing = await this.m.Document.findById(id, { kind: 1, title: 1, version: 1 }).lean<DocumentDoc>();
      if (existing) return { id, kind: existing.kind, title: existing.title, version: existing.version };
      let version = 1;
      if (draft.key) {
        const last = await this.m.Document.findOne({ agent: owner.agent, key: draft.key }, { version: 1 }).sort({ version: -1 }).lean<DocumentDoc>();
        version = (last?.version ?? 0) + 1;
      }
      const doc: DocumentDoc = {
        _id: id,
        kind: draft.kind,
        title: draft.title,
        ...(draft.body !== undefined ? { body: draft.body } : {}),
        ...(draft.url !== undefined ? { url: draft.url } : {}),
        ...(draft.mimeType !== undefined ? { mimeType: draft.mimeType } : {}),
        agent: owner.agent,
        executionId: owner.executionId,
        eventId: owner.eventId,
        tags: draft.tags ?? [],
        ...(draft.metadata ? { metadataJson: JSON.stringify(draft.metadata) } : {}),
        ...(draft.key ? { key: draft.key } : {}),
        version,
        createdAt: new Date(),
      };
      try {
        await this.m.Document.collection.insertOne(doc as unknown as Record<string, unknown>);
        return { id, kind: doc.kind, title: doc.title, version };
      } catch (err) {
        // Lost a race on the same id (another process stored it): read it back on the next loop.
        if ((err as { code?: number }).code !== 11000 || tries > 5) throw err;
      }
    }
  }
}
