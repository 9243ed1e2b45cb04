import { ApiException, Svix } from 'svix';
import type { Subscription } from './subscriptions-repository';
import { liveSecrets } from '../domain/secrets';

export interface ForwardedMessage {
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  subscriptionIds: string[];
}

/**
 * The optional Svix backend: one Svix application per hub (uid = topic prefix), one endpoint per subscription
 * (uid = subscription id, channel = subscription id), and one Svix message per event addressed to the channels
 * of the subscriptions hookhub matched — so hookhub's patterns and filters decide, and Svix sends, signs and
 * retries. The hookhub event id is the Svix `eventId` and idempotency key, so a re-consumed event is not
 * sent twice.
 */
export class SvixForwarder {
  private readonly svix: Svix;
  private appReady?: Promise<string>;
  private readonly mirrored = new Map<string, number>();

  constructor(
    token: string,
    serverUrl: string,
    private readonly appUid: string,
  ) {
    this.svix = new Svix(token, { ...(serverUrl ? { serverUrl } : {}), requestTimeout: 15000, numRetries: 2 });
  }

  private app(): Promise<string> {
    this.appReady ??= this.svix.application
      .getOrCreate({ name: `hookhub ${this.appUid}`, uid: this.appUid })
      .then((a) => a.id)
      .catch((err: unknown) => {
        this.appReady = undefined;
        throw err;
      });
    return this.appReady;
  }

  /** Creates or updates the Svix endpoint of a subscription when it changed since the last mirror. */
  async mirror(sub: Subscription): Promise<void> {
    const version = sub.updatedAt.getTime();
    if (this.mirrored.get(sub.id) === version) return;
    const app = await this.app();
    const fields = {
      url: sub.url,
      uid: sub.id,
      channels: [sub.id],
      disabled: !sub.enabled,
      ...(sub.description ? { description: sub.description } : {}),
      ...(sub.rateLimitPerSecond ? { rateLimit: Math.max(1, Math.round(sub.rateLimitPerSecond)) } : {}),
    };
    let exists = true;
    try {
      await this.svix.endpoint.get(app, sub.id);
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
      exists = false;
    }
    if (!exists) {
      const [secret] = liveSecrets(sub.secrets);
      await this.svix.endpoint.create(app, { ...fields, ...(secret ? { secret } : {}), ...(sub.headers ? { headers: sub.headers } : {}) }, { idempotencyKey: `endpoint-${sub.id}-${version}` });
    } else {
      await this.svix.endpoint.update(app, sub.id, fields);
      if (sub.headers) await this.svix.endpoint.updateHeaders(app, sub.id, { headers: sub.headers });
    }
    this.mirrored.set(sub.id, version);
  }

  async forward(m: ForwardedMessage): Promise<string> {
    const app = await this.app();
    const out = await this.svix.message.create(
      app,
      { eventType: m.eventType, eventId: m.eventId, payload: m.payload, channels: m.subscriptionIds },
      { idempotencyKey: `hookhub-${m.eventId}-${m.subscriptionIds.join(',')}` },
    );
    return out.id;
  }
}
