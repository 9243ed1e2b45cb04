import { request } from 'undici';
import type { LlmRunnerConfig } from '../../config/types';
import { RunError, RunTimeoutError } from '../domain/errors';
import type { RunRequest, RunResult, Runner } from './runner';

interface ChatCompletion {
  model?: string;
  choices?: { message?: { content?: string | null }; finish_reason?: string }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

/**
 * OpenAI-compatible chat completions: the system message is the agent's instructions, the user message the
 * task and the input as JSON. The reply text is the output (and optionally a document); token usage is kept.
 */
export class LlmRunner implements Runner {
  readonly pure = false;

  constructor(private readonly hostEnv: NodeJS.ProcessEnv = process.env) {}

  async run(req: RunRequest): Promise<RunResult> {
    const s = req.agent.runner as LlmRunnerConfig;
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
      const res = await request(`${s.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(body),
        signal: req.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      if (req.signal.aborted) throw new RunTimeoutError(req.agent.timeoutMs ?? timeoutMs);
      throw new RunError('runner_unreachable', `LLM endpoint unreachable: ${(err as Error).message}`, true);
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
