import type { BuiltinRunnerConfig } from '../../config/types';
import { RunError } from '../domain/errors';
import { render, templateContext } from '../domain/routing';
import type { DocumentDraft } from '../domain/model';
import type { RunRequest, RunResult, Runner } from './runner';

/**
 * Built-in agents, run in process with no outside effect:
 * - `echo` returns its input as the output;
 * - `template` renders one document (handlebars) from `{event, data, input, task}`.
 */
export class BuiltinRunner implements Runner {
  readonly pure = true;

  async run(req: RunRequest): Promise<RunResult> {
    const settings = req.agent.runner as BuiltinRunnerConfig;
    if (settings.name === 'echo') return { output: req.input };
    if (settings.name === 'template') {
      const t = settings.document;
      if (!t) throw new RunError('runner_error', 'template agent has no document template');
      const ctx = { ...templateContext(req.event), input: req.input, task: req.task };
      const doc: DocumentDraft = {
        kind: t.kind,
        title: render(t.title, ctx).trim(),
        body: render(t.body, ctx),
        mimeType: t.mimeType ?? 'text/markdown',
        tags: t.tags ?? [],
        ...(t.key ? { key: render(t.key, ctx).trim() } : {}),
      };
      return { output: { rendered: { kind: doc.kind, title: doc.title } }, documents: [doc] };
    }
    throw new RunError('runner_error', `unknown builtin ${String((settings as { name: unknown }).name)}`);
  }
}
