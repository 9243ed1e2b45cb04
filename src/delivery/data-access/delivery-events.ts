import { toKafkaHeaders } from '../../platform/cloudevents';
import type { KafkaPort } from '../../platform/kafka';
import type { OutgoingEvent } from '../domain/events';

/**
 * Publishes the delivery role's own events (`hookhub.delivery.exhausted`, `hookhub.subscription.disabled`) to the
 * results topic, keyed by subscription, so subscribers can be told about them like about any result.
 */
export class DeliveryEventsPublisher {
  constructor(
    private readonly kafka: KafkaPort,
    private readonly topic: string,
  ) {}

  async publish(e: OutgoingEvent): Promise<void> {
    const producer = await this.kafka.producer();
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: e.subscriptionId,
          value: Buffer.from(JSON.stringify(e.data)),
          headers: toKafkaHeaders({ id: e.id, source: '/delivery', type: e.type, time: new Date().toISOString(), subject: e.subject, extensions: { hookhubsubscription: e.subscriptionId } }),
        },
      ],
    });
  }
}
