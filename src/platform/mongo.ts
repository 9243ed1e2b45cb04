import mongoose, { type Connection } from 'mongoose';
import type { Logger } from './logger';
import { withTimeout } from './timeout';

export interface MongoOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use one database per file). */
  dbName?: string;
  logger: Logger;
}

/**
 * A mongoose connection of our own (not the global default), so several hubs with different databases can
 * live in one process, as tests do. Only features FerretDB and MongoDB 7 share are used anywhere.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const conn = mongoose.createConnection(options.uri, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    serverSelectionTimeoutMS: 5000,
    autoIndex: true,
  });
  conn.on('disconnected', () => options.logger.warn('mongodb disconnected'));
  conn.on('reconnected', () => options.logger.info('mongodb reconnected'));
  await conn.asPromise();
  return conn;
}

export async function pingMongo(conn: Connection, ms: number): Promise<void> {
  await withTimeout(
    (async () => {
      const db = conn.db;
      if (!db) throw new Error('MongoDB connection is not open');
      await db.command({ ping: 1 });
    })(),
    ms,
    `MongoDB did not answer within ${ms} ms`,
  );
}

/**
 * Drops indexes an earlier version created and a wider one now replaces (every index costs each write); an index
 * already gone, or a collection not created yet, is fine.
 */
export async function dropReplacedIndexes(collection: { dropIndex(name: string): Promise<unknown> }, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await collection.dropIndex(name);
    } catch (err) {
      const code = (err as { code?: number }).code;
      // 27 IndexNotFound, 26 NamespaceNotFound
      if (code !== 27 && code !== 26) throw err;
    }
  }
}
