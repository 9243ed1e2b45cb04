// The driver's own class for "pool cleared after its monitor lost the server", which it does not export by name.
declare module 'mongodb/lib/cmap/errors' {
  import type { MongoNetworkError } from 'mongodb';
  export class PoolClearedOnNetworkError extends MongoNetworkError {
    constructor(pool: { address: string; serviceId?: unknown });
  }
}
