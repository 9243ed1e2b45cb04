import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module given without its extension (`path.join(__dirname, 'x')`). Built code
 * runs `x.js`. Run from TypeScript sources (jest with @swc/jest), the thread compiles `x.ts` and everything it
 * requires the same way, with @swc/core (a dev dependency, never needed by the built hub).
 */
export function startWorker(modulePath: string, options: WorkerOptions = {}): Worker {
  const js = `${modulePath}.js`;
  if (existsSync(js)) return new Worker(js, options);
  const ts = `${modulePath}.ts`;
  if (!existsSync(ts)) throw new Error(`no worker module at ${modulePath}(.js|.ts)`);
  const swc = require.resolve('@swc/core');
  const code = `
const { readFileSync } = require('node:fs');
const { transformSync } = require(${JSON.stringify(swc)});
require.extensions['.ts'] = (m, filename) => {
  const out = transformSync(readFileSync(filename, 'utf8'), { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
  m._compile(out.code, filename);
};
require(${JSON.stringify(ts)});
`;
  return new Worker(code, { ...options, eval: true });
}
