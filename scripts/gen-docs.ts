/**
 * Writes docs/operations.md from the operation schemas and the implemented operations. Run by
 * `npm run generate`; a unit test fails when the committed file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOperationsDoc } from '../src/executors/docs.js';
import { createRegistry } from '../src/executors/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'operations.md'), renderOperationsDoc(createRegistry()));
console.log('wrote docs/operations.md');
