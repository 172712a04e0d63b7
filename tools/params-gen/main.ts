/**
 * npm run generate (first step): writes src/executors/<kind-dir>/params.gen.ts from operations.json.
 * Input: KUBESTACK_OPERATIONS_JSON, else ../shared/reference/operations.json from the repo root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTs } from './format.js';
import { generate, type OperationsJson } from './generate.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function operationsJsonPath(): string {
  return (
    process.env['KUBESTACK_OPERATIONS_JSON'] ?? join(ROOT, '..', 'shared', 'reference', 'operations.json')
  );
}

export function loadOperationsJson(path = operationsJsonPath()): OperationsJson {
  return JSON.parse(readFileSync(path, 'utf8')) as OperationsJson;
}

/** Relative path → formatted text, exactly what should be committed. */
export function renderAll(json = loadOperationsJson()): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, text] of generate(json)) out.set(rel, formatTs(ROOT, rel, text));
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [rel, text] of renderAll()) {
    mkdirSync(dirname(join(ROOT, rel)), { recursive: true });
    writeFileSync(join(ROOT, rel), text);
    console.log(`wrote ${rel}`);
  }
}
