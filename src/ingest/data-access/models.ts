import type { Connection, Model, Schema } from 'mongoose';

/** Returns the connection's model `name`, compiling it once (several components of one process share it). */
export function modelOf<T>(conn: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema, collection);
}

export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;
