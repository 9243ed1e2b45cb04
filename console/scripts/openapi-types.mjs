// Generates console/src/api/schema.d.ts (the console's API types) from the hub's OpenAPI document.
//   node console/scripts/openapi-types.mjs                 reads $HOOKHUB_URL (default http://127.0.0.1:8080)
//   node console/scripts/openapi-types.mjs --from doc.json reads a saved document
//   … --check                                              writes nothing; exits 1 when the file differs
// test/integration/console-types.test.ts runs the check against a hub's served document, so the console
// cannot drift from the API.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const args = process.argv.slice(2);
const fromIndex = args.indexOf('--from');
const check = args.includes('--check');

async function loadDocument() {
  if (fromIndex >= 0) return JSON.parse(fs.readFileSync(args[fromIndex + 1], 'utf8'));
  const base = process.env.HOOKHUB_URL ?? 'http://127.0.0.1:8080';
  const res = await fetch(`${base}/api/v1/openapi.json`);
  if (!res.ok) throw new Error(`GET ${base}/api/v1/openapi.json answered ${res.status}`);
  return res.json();
}

/**
 * Examples are documentation, and a hub fills some with its own settings (its topic prefix): drop them so the
 * types depend on the shapes alone and every hub's document gives the same file. Property maps keep their keys.
 */
function withoutExamples(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.map((n) => withoutExamples(n));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (!isPropertyMap && (k === 'examples' || k === 'example')) continue;
    out[k] = withoutExamples(v, !isPropertyMap && (k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'schemas'));
  }
  return out;
}

const header = '/**\n * Generated from the hub\'s OpenAPI document by `npm run console:types`. Do not edit.\n */\n\n';
const text = header + astToString(await openapiTS(withoutExamples(await loadDocument()), { emptyObjectsUnknown: true }));
if (check) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${target} is out of date with the API: run \`npm run console:types\` against a running hub (npm start)`);
    process.exit(1);
  }
  console.log('console API types match the OpenAPI document');
} else {
  fs.writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
