import type { Command } from 'commander';
import { ApiClient } from './client';

interface ApiOptions {
  data?: string;
  ifMatch?: string;
  include?: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `hookhub api <method> <path>`: any Management API call, printing the JSON answer (problem on stderr). */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('call the Management API at HOOKHUB_URL with HOOKHUB_API_KEY, e.g. `hookhub api get /keys`')
    .argument('<method>', `HTTP method: ${METHODS.join(', ')}`)
    .argument('<path>', 'path under /api/v1, e.g. /keys?limit=5')
    .option('-d, --data <json>', 'JSON request body')
    .option('--if-match <etag>', 'send If-Match (the ETag of your last read)')
    .option('-i, --include', 'print the status line and the ETag before the body')
    .action(async (method: string, path: string, opts: ApiOptions) => {
      const m = method.toLowerCase();
      if (!METHODS.includes(m)) throw new Error(`unknown method "${method}"; use one of ${METHODS.join(', ')}`);
      let body: unknown;
      if (opts.data !== undefined) {
        try {
          body = JSON.parse(opts.data) as unknown;
        } catch (err) {
          throw new Error(`--data is not valid JSON: ${(err as Error).message}`);
        }
      }
      const client = ApiClient.fromEnv();
      const reply = await client.request(m, path, { ...(body !== undefined ? { body } : {}), ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}) });
      if (opts.include) {
        process.stdout.write(`HTTP ${reply.status}\n`);
        const etag = reply.headers.get('etag');
        if (etag) process.stdout.write(`ETag: ${etag}\n`);
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body, null, 2);
      if (reply.status >= 400) {
        process.stderr.write(`${text}\n`);
        process.exitCode = 1;
      } else if (text) {
        process.stdout.write(`${text}\n`);
      }
    });
}
