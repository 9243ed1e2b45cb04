import type { LlmRunnerConfig } from '../../config/types';
import type { GuardedHttpClient } from '../../platform/outbound/client';
import type { AgentSecretPolicy } from '../domain/agent-secrets';
import { RunError } from '../domain/errors';
import { outboundRunError, type RunRequest, type RunResult, type Runner } from './runner';

interface ChatCompletion {
  model?: string;
  choices?: { message?: { content?: string | null }; finish_reason?: string }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

/**
 * OpenAI-compatible chat completions: the system message is the agent's instructions, the user message the
 * task and the input as JSON. The reply text is the output (and optionally a document); token usage is kept.
 * The API key comes only from a variable the `agentSecrets` policy allows; the request goes through the guarded
 * client (SSRF guard, no redirects, bounded reply).
 */
export class LlmRunner implements Runner {
  readonly pure = false;

  constructor(
    private readonly http: GuardedHttpClient,
    private readonly secrets: AgentSecretPolicy,
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  async run(req: RunRequest): Promise<RunResult> {
    const s = req.agent.runner as LlmRunnerConfig;
    const refused = s.apiKeyEnv ? this.secrets.refusal(s.apiKeyEnv) : undefined;
    if (refused) throw new RunError('agent_secret_forbidden', refused);
    const key = s.apiKeyEnv ? this.hostEnv[s.apiKeyEnv] : undefined;
    if (s.apiKeyEnv && !key) throw new RunError('llm_key_missing', `environment variable ${s.apiKeyEnv} is not set`);
    const user = `${req.task ?? 'Process this input.'}\n\nInput (JSON):\n${JSON.stringify(req.input, null, 2)}`;
    const body = {
      model: s.model,
      messages: [
        ...(req.agent.instructions ? [{ role: 'system', content: req.agent.instructions }] : []),
        { role: 'user', content: user },
      ],
      ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
      ...(s.maxTokens !== undefined ? { max_tokens: s.maxTokens } : {}),
    };
    const timeoutMs = Math.max(1, req.deadline - Date.now());
    let status: number;
    let text: string;
    try {
      const res = await this.http.send({
        url: `${s.baseUrl.replace(/\/+$/, '')}/chat/completions`,
        body: JSON.stringify(body),
        signal: req.signal,
        timeoutMs,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      });
      status = res.status;
      text = res.body.toString('utf8');
    } catch (err) {
      throw outboundRunError(err, req, 'LLM endpoint');
    }
    if (status < 200 || status >= 300) {
      throw new RunError('llm_http_status', `LLM endpoint answered ${status}: ${text.slice(0, 300)}`, status === 429 || status >= 500);
    }
    let reply: ChatCompletion;
    try {
      reply = JSON.parse(text) as ChatCompletion;
    } catch {
      throw new RunError('runner_bad_output', 'LLM reply is not JSON');
    }
    const choice = reply.choices?.[0];
    const content = choice?.message?.content;
    if (typeof content !== 'string') throw new RunError('runner_bad_output', 'LLM reply has no choices[0].message.content');
    const usage = reply.usage
      ? { promptTokens: reply.usage.prompt_tokens, completionTokens: reply.usage.completion_tokens, totalTokens: reply.usage.total_tokens }
      : undefined;
    return {
      output: { text: content, model: reply.model ?? s.model, finishReason: choice?.finish_reason },
      ...(usage ? { usage } : {}),
      ...(s.documentKind
        ? { documents: [{ kind: s.documentKind, title: req.task ?? `${req.agent.name} output`, body: content, mimeType: 'text/markdown', tags: [req.agent.name] }] }
        : {}),
    };
  }
}
