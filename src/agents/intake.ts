import type { DeadLetterWriter } from '../platform/consumer';
import type { AgentsStage } from './domain/stage';

/** What the agents' Kafka entry point calls. */
export interface AgentsIntake {
  stage: AgentsStage;
  /** The inbound topics to read now (`<prefix>.in.*` and config sources' own topics). */
  topics(): Promise<string[]>;
  /** Called on every refresh tick (re-reads agents and routes). */
  refresh(): Promise<void>;
  deadLetters: DeadLetterWriter;
}
