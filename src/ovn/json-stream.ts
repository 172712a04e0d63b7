/**
 * Framing of OVSDB's JSON-RPC: messages are JSON texts written back to back with no delimiter
 * (RFC 7047 §3.1 leaves framing to the JSON grammar). This splitter tracks brace/bracket depth and
 * string state byte by byte, so a message may arrive split over many chunks or many messages in one.
 * Multi-byte UTF-8 never contains the ASCII bytes it looks at, so scanning bytes is safe.
 */
import { KubestackError } from '../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Largest single message accepted; a peer sending more is broken (or hostile). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class JsonStreamSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Scan position inside the concatenation of `chunks`. */
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;

  /** Feeds bytes; returns every complete JSON value they finish, parsed. */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    let data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [data];
    let start = 0;
    for (let i = this.scanned; i < data.length; i++) {
      const b = data[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (!this.started) {
          this.started = true;
          start = this.skipWhitespace(data, start, i);
        }
        this.depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) throw this.protocolError('unbalanced closing bracket');
        if (this.depth === 0 && this.started) {
          const text = data.subarray(start, i + 1).toString('utf8');
          try {
            out.push(JSON.parse(text));
          } catch (cause) {
            throw this.protocolError('invalid JSON from the server', cause);
          }
          this.started = false;
          start = i + 1;
        }
      } else if (!this.started && !isWhitespace(b)) {
        throw this.protocolError(`unexpected byte 0x${b.toString(16)} between messages`);
      }
    }
    data = data.subarray(start);
    this.chunks = data.length > 0 ? [data] : [];
    this.buffered = data.length;
    this.scanned = data.length;
    if (this.buffered > MAX_MESSAGE_BYTES) throw this.protocolError('message too large');
    return out;
  }

  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.started = false;
  }

  private skipWhitespace(data: Buffer, from: number, to: number): number {
    let s = from;
    while (s < to && isWhitespace(data[s] as number)) s++;
    return s;
  }

  private protocolError(message: string, cause?: unknown): KubestackError {
    return new KubestackError('OvsdbError', `OVSDB framing: ${message}`, { cause, retriable: true });
  }
}

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
