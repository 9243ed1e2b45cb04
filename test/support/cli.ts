import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const HOOKHUB_BIN = path.join(__dirname, '..', '..', 'bin', 'hookhub.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** Kills the CLI runs of this test file that have not exited (a test that timed out leaves its run going). */
export function killRunningCli(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Runs the packaged CLI asynchronously (a hub under test in this process must keep answering meanwhile).
 * `HOOKHUB_API_KEY` is cleared unless `env` sets it, so a developer's own key never leaks into a test.
 */
export function hookhub(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn('node', [HOOKHUB_BIN, ...args], { env: { ...process.env, HOOKHUB_API_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}
