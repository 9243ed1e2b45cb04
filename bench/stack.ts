/**
 * Where a bench finds Kafka and MongoDB, as `npm start` does: with KAFKA_BROKERS and MONGODB_URI both unset it
 * starts the local stack (or reuses the running one); otherwise it uses what they name (the other one from the
 * local stack's defaults) and stops with one line when either does not answer, instead of a flood of
 * connection errors and a round of zeros.
 */
import { mongoAnswers } from '../src/stack/ferretdb';
import { kafkaAnswers } from '../src/stack/kafka';
import { stackEndpoints, stackUp, type StackEndpoints } from '../src/stack/stack';

export async function benchStack(log: (msg: string) => void = (msg) => void process.stdout.write(`${msg}\n`)): Promise<StackEndpoints> {
  const env = process.env;
  if (!env.KAFKA_BROKERS && !env.MONGODB_URI) {
    log('KAFKA_BROKERS and MONGODB_URI are unset: starting (or reusing) the local stack …');
    const ep = await stackUp(log);
    env.KAFKA_BROKERS = ep.kafkaBrokers.join(',');
    env.MONGODB_URI = ep.mongodbUri;
    return ep;
  }
  const defaults = stackEndpoints();
  const ep: StackEndpoints = {
    kafkaBrokers: env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',') : defaults.kafkaBrokers,
    mongodbUri: env.MONGODB_URI ?? defaults.mongodbUri,
  };
  const [kafka, mongo] = await Promise.all([kafkaAnswers(ep.kafkaBrokers), mongoAnswers(ep.mongodbUri)]);
  if (!kafka || !mongo) {
    // One line and out: a bench against a server that is not there measures nothing.
    process.stderr.write(
      `${!kafka ? `Kafka at ${ep.kafkaBrokers.join(',')}` : `MongoDB at ${new URL(ep.mongodbUri).host}`} does not answer: start it, or unset KAFKA_BROKERS and MONGODB_URI to let the bench start the local stack\n`,
    );
    process.exit(2);
  }
  return ep;
}
