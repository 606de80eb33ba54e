#!/usr/bin/env node
// The `minqing` command line (README: `npm run minqing -- <command>`), run from the compiled dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'index.js');
if (!existsSync(entry)) {
  console.error('minqing: dist/ is not built yet; run `npm ci` (it builds) or `npm run build` first.');
  process.exit(1);
}
require('reflect-metadata');
require(entry).main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
