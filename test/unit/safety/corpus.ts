/**
 * The bad-input corpus (test/fixtures/safety/bad-inputs.json) crossed with every string parameter
 * of every implemented operation in the registry: the cases, and a valid baseline request per
 * operation (each parameter's documented example) for the other parameters. Categories that are
 * legitimate syntax of a checked parameter (the corpus's `exemptions`, each with its reason) are
 * left out for that parameter only.
 */
import { readFileSync } from 'node:fs';
import { createRegistry } from '../../../src/executors/registry.js';
import type { OperationSpec } from '../../../src/executors/types.js';

export interface Payload {
  category: string;
  value: unknown;
}

/** Payload categories that are legitimate syntax for parameters checked by `check` (with why). */
interface Exemption {
  check: string;
  categories: string[];
  reason: string;
}

interface Corpus {
  strings: Payload[];
  typeSwaps: Payload[];
  exemptions: Exemption[];
}

export const CORPUS = JSON.parse(
  readFileSync(new URL('../../fixtures/safety/bad-inputs.json', import.meta.url), 'utf8'),
) as Corpus;

type Sch = Record<string, unknown>;

/** A string parameter: a plain string, or one of listed strings. */
export function isStringParam(s: Sch): boolean {
  return (
    s.type === 'string' ||
    (Array.isArray(s.anyOf) && (s.anyOf as Sch[]).every((l) => typeof l.const === 'string'))
  );
}

/** The documented example of every required parameter (what a valid request carries). */
export function baseline(op: OperationSpec): Record<string, unknown> {
  const props = op.params.properties as Record<string, Sch>;
  const required = new Set((op.params.required as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(props)) {
    const ex = (s.examples as unknown[] | undefined)?.[0];
    if (required.has(k) && ex !== undefined) out[k] = ex;
  }
  return out;
}

export interface CorpusCase {
  op: OperationSpec;
  param: string;
  payload: Payload;
}

/** Every implemented operation × string parameter × payload. */
export function corpusCases(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const e of createRegistry().list()) {
    if (!e.implemented) continue;
    const props = e.spec.params.properties as Record<string, Sch>;
    for (const [param, s] of Object.entries(props)) {
      if (!isStringParam(s)) continue;
      const exempt = CORPUS.exemptions
        .filter((x) => x.check === s['x-ks-check'])
        .flatMap((x) => x.categories);
      for (const payload of [...CORPUS.strings, ...CORPUS.typeSwaps]) {
        if (!exempt.includes(payload.category)) out.push({ op: e.spec, param, payload });
      }
    }
  }
  return out;
}
