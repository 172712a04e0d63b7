import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalEntry } from '../../../src/agent/journal.js';

const entry = (id: string, phase: JournalEntry['phase']): JournalEntry => ({
  id,
  phase,
  key: `VirtualMachine/default/${id}`,
  operation: 'startVM',
  eventId: '-1',
  uid: id,
  resourceVersion: '1',
  at: 'now',
});

describe('Journal', () => {
  it('reopens with the unfinished entries in their last phase, and knows done ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-j-'));
    const j = await Journal.open(dir);
    await j.record(entry('a', 'accepted'));
    await j.record(entry('a', 'started'));
    await j.record(entry('b', 'accepted'));
    await j.record(entry('b', 'done'));
    await j.record(entry('c', 'accepted'));
    await j.close();
    appendFileSync(join(dir, 'operations.jsonl'), '{"id":"torn","pha'); // a crash mid-write
    const k = await Journal.open(dir);
    const open = Object.fromEntries(k.unfinished().map((e) => [e.id, e.phase]));
    expect(open).toEqual({ a: 'started', c: 'accepted' });
    expect(k.has('a')).toBe(true);
    expect(k.has('torn')).toBe(false);
    // compacted at open: only the open entries remain on disk
    expect(readFileSync(join(dir, 'operations.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    await k.close();
  });

  it('group-commits concurrent records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-j-'));
    const j = await Journal.open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => j.record(entry(`x${i}`, 'accepted'))));
    expect(j.unfinished()).toHaveLength(200);
    await j.close();
    const k = await Journal.open(dir);
    expect(k.unfinished()).toHaveLength(200);
    await k.close();
  });
});
