/**
 * Writes deploy/crds/<plural>.yaml from src/kinds.ts. Run `npx tsx scripts/gen-crds.ts`;
 * a unit test fails when the committed files are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrds } from '../src/agent/crds.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'deploy', 'crds');
mkdirSync(dir, { recursive: true });
for (const [file, text] of renderCrds()) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote deploy/crds/${file}`);
}
