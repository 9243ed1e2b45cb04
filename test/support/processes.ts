import fs from 'node:fs';

/**
 * Kills (SIGKILL) every process whose command line mentions `dir`: the servers of a stack a test started in a
 * temporary state folder. `hookhub stack down` stops what the pid files name; this also catches a server that a
 * `stack up` still in flight when its test timed out started after that `stack down` ran. Returns the pids killed.
 */
export function killProcessesMentioning(dir: string): number[] {
  const killed: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (!cmdline.includes(dir)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // exited between the read and the kill
    }
  }
  return killed;
}
