#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build`.
require('../dist/src/cli/main.js').main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
