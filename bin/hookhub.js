#!/usr/bin/env node
// Thin launcher and composition root: the CLI is compiled to dist/ by `npm run build`; the Kafka entry points
// (consumers/) are handed to it here because nothing in src/ imports them.
const { kafkaEntryPoints } = require('../dist/consumers/index.js');
require('../dist/src/cli/main.js').main(process.argv, kafkaEntryPoints).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
