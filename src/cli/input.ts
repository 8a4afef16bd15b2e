// The CLI's file input: read with a byte limit (a FIFO, /dev/zero or a huge file costs at most
// limit + 1 bytes), decoded as UTF-8 with one BOM policy, and a warning for invalid bytes.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './args';

/** A file's bytes, at most `maxBytes`; `over` is set when it has more (it is not read further). */
export interface BoundedRead {
  bytes: Uint8Array;
  over: boolean;
}

function ioError(what: string, path: string, e: unknown): UsageError {
  return new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}

/** Reads up to maxBytes + 1 bytes: one more than allowed is how "too large" is known without stat, which FIFOs and devices do not answer. */
export function readBounded(path: string, maxBytes: number, what: string): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw ioError(what, path, e);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new UsageError(`cannot read ${what} ${path}: it is a folder`);
    const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, 1 << 20));
    let chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(chunk.length, maxBytes + 1 - total);
      if (want === 0) break;
      const n = readSync(fd, chunk, 0, want, null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
    }
    const bytes = Buffer.concat(chunks, total);
    chunks = [];
    return total > maxBytes ? { bytes: bytes.subarray(0, maxBytes), over: true } : { bytes, over: false };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw ioError(what, path, e);
  } finally {
    closeSync(fd);
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * UTF-8 text of a file. A leading BOM is dropped (VS Code drops it when it opens a file, so a
 * text trains the same in both, and a weights file saved by an editor that adds one still loads).
 * Invalid bytes become U+FFFD, as in VS Code, and `warn` is told once.
 */
export function decodeUtf8(bytes: Uint8Array, onInvalid: () => void): string {
  const body = UTF8_BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    onInvalid();
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  }
}
