/**
 * The crash-safety journal: an append-only JSON-lines file recording each operation as
 * accepted → started → finished → done under its idempotency key (uid/resourceVersion/operation).
 * Every record is fsync'd before `record` resolves; concurrent records share one write + fsync
 * (group commit). On open, entries without `done` are the operations a previous run left unresolved.
 * The file is compacted (rewritten with open entries only, atomically) when it grows.
 */
import { type FileHandle, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from '../timing.js';

/** `dropped`: accepted, but the acknowledgement failed; nothing ran and the request may come again. */
export type JournalPhase = 'accepted' | 'started' | 'finished' | 'done' | 'dropped';

export interface JournalEntry {
  /** Idempotency key: `${uid}/${resourceVersion}/${operation}`. */
  id: string;
  phase: JournalPhase;
  key: string;
  operation: string;
  eventId: string;
  uid: string;
  resourceVersion: string;
  startedAt?: string;
  /** Validated parameters, kept only for operations that declare themselves resumable. */
  params?: unknown;
  /** Set with `finished`: what the status writer must still report. */
  result?: { ok: true; outcome: Record<string, unknown> } | { ok: false; reason: string; message: string };
  at: string;
}

const FILE = 'operations.jsonl';
const COMPACT_AFTER = 5000;
const SEEN_MAX = 20_000;

export class Journal {
  private readonly openEntries = new Map<string, JournalEntry>();
  /** Ids that reached `done` (bounded, oldest forgotten first). */
  private readonly doneIds = new Set<string>();
  private pending: Array<{ line: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  private writing = false;
  private records = 0;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
  ) {}

  static async open(dir: string): Promise<Journal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, FILE);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const fh = await open(path, 'a', 0o600);
    const j = new Journal(dir, fh);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        j.apply(JSON.parse(line) as JournalEntry);
      } catch {
        // a torn last line from a crash mid-write: the record never completed
      }
    }
    await j.compact();
    return j;
  }

  /** Operations a previous run accepted but never brought to `done`. */
  unfinished(): JournalEntry[] {
    return [...this.openEntries.values()];
  }

  /** True once the id was recorded at all (open or done): never accept it again. */
  has(id: string): boolean {
    return this.openEntries.has(id) || this.doneIds.has(id);
  }

  get(id: string): JournalEntry | undefined {
    return this.openEntries.get(id);
  }

  async record(entry: JournalEntry): Promise<void> {
    this.apply(entry);
    const line = `${JSON.stringify(entry)}\n`;
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      void this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.writing || this.pending.length) await sleep(5);
    await this.fh.close();
  }

  private apply(e: JournalEntry): void {
    if (e.phase === 'dropped') {
      this.openEntries.delete(e.id);
    } else if (e.phase === 'done') {
      this.openEntries.delete(e.id);
      this.doneIds.add(e.id);
      if (this.doneIds.size > SEEN_MAX) {
        const oldest = this.doneIds.values().next().value;
        if (oldest !== undefined) this.doneIds.delete(oldest);
      }
    } else {
      this.openEntries.set(e.id, e);
    }
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        try {
          await this.fh.write(batch.map((b) => b.line).join(''));
          await this.fh.datasync();
          this.records += batch.length;
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
        if (this.records > COMPACT_AFTER) await this.compact();
      }
    } finally {
      this.writing = false;
    }
  }

  /** Rewrites the file with the open entries only: temp file, fsync, rename. */
  private async compact(): Promise<void> {
    const path = join(this.dir, FILE);
    const tmp = `${path}.tmp`;
    const out = await open(tmp, 'w', 0o600);
    await out.write([...this.openEntries.values()].map((e) => `${JSON.stringify(e)}\n`).join(''));
    await out.sync();
    await out.close();
    await rename(tmp, path);
    const dirHandle = await open(this.dir, 'r');
    await dirHandle.sync();
    await dirHandle.close();
    await this.fh.close();
    this.fh = await open(path, 'a', 0o600);
    this.records = this.openEntries.size;
  }
}
