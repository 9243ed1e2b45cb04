import { kafkaAnswers } from '../../src/stack/kafka';
import { mongoAnswers } from '../../src/stack/ferretdb';
import { stackEndpoints, stackUp } from '../../src/stack/stack';
import { TEST_SECRETS_KEY } from './secrets-key';

/**
 * Brings the real local stack up once for the whole run unless it already answers (or KAFKA_BROKERS and
 * MONGODB_URI point at other servers). Nothing is mocked: tests talk to real Kafka and FerretDB.
 */
export default async function globalSetup(): Promise<void> {
  // Hubs and CLI processes started by tests encrypt stored secrets with this key unless one is set.
  process.env.HOOKHUB_SECRETS_KEY ??= TEST_SECRETS_KEY;
  const ep = stackEndpoints();
  const brokers = process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : ep.kafkaBrokers;
  const uri = process.env.MONGODB_URI ?? ep.mongodbUri;
  const [k, m] = await Promise.all([kafkaAnswers(brokers), mongoAnswers(uri)]);
  if (k && m) return;
  if (process.env.KAFKA_BROKERS || process.env.MONGODB_URI) {
    throw new Error(`test stack not reachable: kafka ${k ? 'ok' : 'down'} (${brokers.join(',')}), mongodb ${m ? 'ok' : 'down'}`);
  }
  await stackUp((msg) => process.stdout.write(`[stack] ${msg}\n`));
  process.env.KAFKA_BROKERS = ep.kafkaBrokers.join(',');
  process.env.MONGODB_URI = ep.mongodbUri;
}
