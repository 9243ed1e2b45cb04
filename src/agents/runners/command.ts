import { spawn } from 'node:child_process';
import type { CommandRunnerConfig } from '../../config/types';
import type { SchemaRegistry } from '../../platform/schemas';
import type { AgentSecretPolicy } from '../domain/agent-secrets';
import { RunError, RunTimeoutError } from '../domain/errors';
import { eventForAgent, parseReply, type RunRequest, type RunResult, type Runner } from './runner';

const MAX_STDOUT_BYTES = 10 * 1024 * 1024;
export const MAX_STDERR_BYTES = 64 * 1024;
const DEFAULT_KILL_GRACE_MS = 2000;

/** Keeps the last `limit` bytes written (the end of stderr is where the error usually is). */
class BoundedTail {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
      this.truncated = true;
    }
  }
  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Spawns a local program without a shell. It gets `{executionId, agent, task, input, event}` as JSON on stdin
 * and must print its reply as JSON on stdout and exit 0. Only the variables named in `env` pass through from
 * the hub's environment (plus `setEnv`), never the hub's own credentials (AgentSecretPolicy.forbidden). On the deadline it gets SIGTERM, then SIGKILL after `killGraceMs`.
 * stderr is kept bounded (last 64 KiB) and recorded with the exit code.
 */
export class CommandRunner implements Runner {
  readonly pure = false;

  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly secrets: AgentSecretPolicy,
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  run(req: RunRequest): Promise<RunResult> {
    const s = req.agent.runner as CommandRunnerConfig;
    const env: NodeJS.ProcessEnv = {};
    for (const name of s.env ?? []) if (this.hostEnv[name] !== undefined && !this.secrets.forbidden(name)) env[name] = this.hostEnv[name];
    Object.assign(env, s.setEnv ?? {}, { HOOKHUB_EXECUTION_ID: req.executionId, HOOKHUB_AGENT: req.agent.name });

    return new Promise<RunResult>((resolve, reject) => {
      const child = spawn(s.command, s.args ?? [], { cwd: s.cwd, env, shell: false, stdio: ['pipe', 'pipe', 'pipe'], detached: false });
      const stdout: Buffer[] = [];
      let stdoutSize = 0;
      let stdoutOverflow = false;
      const stderr = new BoundedTail(MAX_STDERR_BYTES);
      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;

      const terminate = (): void => {
        if (timedOut) return;
        timedOut = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), s.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      };
      if (req.signal.aborted) terminate();
      else req.signal.addEventListener('abort', terminate, { once: true });

      child.stdout.on('data', (d: Buffer) => {
        stdoutSize += d.length;
        if (stdoutSize > MAX_STDOUT_BYTES) {
          stdoutOverflow = true;
          return;
        }
        stdout.push(d);
      });
      child.stderr.on('data', (d: Buffer) => stderr.push(d));
      child.stdin.on('error', () => undefined); // a program that never reads stdin is not an error by itself
      child.on('error', (err: NodeJS.ErrnoException) => {
        req.signal.removeEventListener('abort', terminate);
        clearTimeout(killTimer);
        reject(new RunError(err.code === 'ENOENT' ? 'command_not_found' : 'runner_error', `cannot run ${s.command}: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        req.signal.removeEventListener('abort', terminate);
        clearTimeout(killTimer);
        const exitCode = code ?? (signal ? 128 + (signalNumber[signal] ?? 0) : -1);
        const details = { exitCode, stderr: stderr.toString() };
        if (timedOut) return reject(new RunTimeoutError(req.agent.timeoutMs ?? 0, details));
        if (code !== 0) return reject(new RunError('command_failed', `${s.command} exited with ${signal ?? code}`, false, details));
        if (stdoutOverflow) return reject(new RunError('runner_bad_output', `stdout is over ${MAX_STDOUT_BYTES} bytes`, false, details));
        const text = Buffer.concat(stdout).toString('utf8').trim();
        try {
          const result = text === '' ? {} : parseReply(JSON.parse(text), this.schemas);
          resolve({ ...result, ...details });
        } catch (err) {
          reject(err instanceof RunError ? new RunError(err.code, err.message, false, details) : new RunError('runner_bad_output', 'stdout is not JSON', false, details));
        }
      });
      child.stdin.end(JSON.stringify({ executionId: req.executionId, agent: req.agent.name, task: req.task, input: req.input, event: eventForAgent(req.event) }));
    });
  }
}

const signalNumber: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
