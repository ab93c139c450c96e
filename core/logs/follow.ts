// Follows a log file from a byte offset: reads what was appended, splits it into lines, keeps a
// partial last line until its newline arrives. The offset is the resume point after a reload, so a
// follower started again from a saved offset loses and repeats no line.
import * as fs from 'node:fs';
import { sanitizeLine } from './sanitize';

export interface FollowOptions {
  /** Byte offset to start from (0: the whole file). */
  offset?: number;
  /** Polling period for new data; fs.watch is not reliable on every file system. */
  pollMs?: number;
  /** Longer lines are cut to this many characters with a note (the raw file keeps them whole). */
  maxLineChars?: number;
  /** Bytes read per turn, so a flood never holds the event loop for long. */
  chunkBytes?: number;
}

export interface LogFollower {
  /** Byte offset just after the last complete line delivered. */
  readonly offset: number;
  /** Reads everything available now; `final` also delivers a last line that has no newline (the run ended). */
  drain(final?: boolean): void;
  stop(): void;
}

export function followFile(file: string, onLines: (lines: string[]) => void, opts: FollowOptions = {}): LogFollower {
  const maxLineChars = opts.maxLineChars ?? 64 * 1024;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  let readOffset = opts.offset ?? 0; // bytes consumed from the file
  let lineOffset = readOffset; // bytes delivered as complete lines
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let stopped = false;
  const buf = Buffer.allocUnsafe(chunkBytes);

  const flushLine = (bytes: Buffer, totalBytes: number, out: string[]) => {
    out.push(sanitizeLine(bytes.subarray(0, Math.min(bytes.length, maxLineChars * 4)).toString('utf8'), maxLineChars, totalBytes));
  };

  function readAvailable(): void {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < readOffset) {
        // Truncated or replaced: start over rather than read garbage from a stale offset.
        readOffset = lineOffset = 0;
        partial = [];
        partialBytes = 0;
      }
      for (let turn = 0; turn < 8 && readOffset < size && !stopped; turn++) {
        const n = fs.readSync(fd, buf, 0, Math.min(chunkBytes, size - readOffset), readOffset);
        if (n <= 0) break;
        readOffset += n;
        const lines: string[] = [];
        let start = 0;
        for (;;) {
          const nl = buf.indexOf(10, start);
          if (nl < 0 || nl >= n) break;
          const piece = buf.subarray(start, nl);
          if (partialBytes) {
            partial.push(Buffer.from(piece.subarray(0, Math.max(0, maxLineChars * 4 - partialBytes))));
            flushLine(Buffer.concat(partial), partialBytes + piece.length, lines);
            partial = [];
            partialBytes = 0;
          } else flushLine(piece, piece.length, lines);
          start = nl + 1;
          lineOffset = readOffset - n + start;
        }
        if (start < n) {
          // Keep at most maxLineChars*4 bytes of a long partial line; the rest stays in the raw file.
          const room = maxLineChars * 4 - partialBytes;
          if (room > 0) partial.push(Buffer.from(buf.subarray(start, Math.min(n, start + room))));
          partialBytes += n - start;
        }
        if (lines.length) onLines(lines);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  const timer = setInterval(readAvailable, opts.pollMs ?? 200);
  readAvailable();
  return {
    get offset() {
      return lineOffset;
    },
    drain(final = false) {
      let before: number;
      do {
        before = readOffset;
        readAvailable();
      } while (readOffset !== before && !stopped);
      if (final && partialBytes) {
        const lines: string[] = [];
        flushLine(Buffer.concat(partial), partialBytes, lines);
        partial = [];
        partialBytes = 0;
        lineOffset = readOffset;
        onLines(lines);
      }
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
