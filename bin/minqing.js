#!/usr/bin/env node
require('reflect-metadata');
require('../dist/src/cli/index.js').main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
