#!/usr/bin/env node
// Installed entry point: runs the compiled agent (npm run build). In development use
// `npx tsx src/agent/main.ts <command>`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'agent', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('kubestack-agent: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
await import(pathToFileURL(main).href);
