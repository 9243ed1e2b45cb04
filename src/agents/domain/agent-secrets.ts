/**
 * Which environment variables an agent runner may read (an llm runner's `apiKeyEnv`, a command runner's `env`
 * pass-through): only those hookhub.yaml lists under `agentSecrets`, and never the hub's own credentials, even
 * when listed. An llm runner sends the value to whatever `baseUrl` says, so a variable it could name is a
 * secret handed to whoever may edit agents.
 */
const NEVER_NAMES = new Set(['MONGODB_URI', 'KAFKA_BROKERS', 'SVIX_TOKEN']);
const NEVER_PREFIX = 'HOOKHUB_';

export class AgentSecretPolicy {
  private readonly listed: Set<string>;
  private readonly webhookSecrets: Set<string>;

  /**
   * `listed`: hookhub.yaml `agentSecrets`. `webhookSecretVariables`: the variables hookhub.yaml's sources,
   * subscriptions and http runners take their secrets from (never readable by a runner either).
   */
  constructor(listed: readonly string[] = [], webhookSecretVariables: readonly string[] = []) {
    this.listed = new Set(listed);
    this.webhookSecrets = new Set(webhookSecretVariables);
  }

  /** Why a variable that is never allowed is refused, whatever the list says; undefined when it is not one of those. */
  forbidden(name: string): string | undefined {
    if (name.startsWith(NEVER_PREFIX) || NEVER_NAMES.has(name)) return `${name} is one of the hub's own credentials; no runner may read it`;
    if (this.webhookSecrets.has(name)) return `${name} holds a webhook secret of hookhub.yaml; no runner may read it`;
    return undefined;
  }

  /** Why a runner may not read `name`; undefined when it may. */
  refusal(name: string): string | undefined {
    return this.forbidden(name) ?? (this.listed.has(name) ? undefined : `${name} is not listed under agentSecrets in hookhub.yaml`);
  }
}
