/**
 * Splits a stream of text chunks into complete lines: `push` returns the lines that a chunk
 * completes (without their '\n') and keeps a trailing partial line until a later chunk ends it.
 */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines;
  }
}
