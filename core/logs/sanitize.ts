// Makes one log line safe and readable for display: drops ANSI colour and cursor sequences and a
// trailing carriage return, shows other control bytes as visible symbols, and cuts very long lines
// with a note. The raw file on disk keeps the bytes as written.

// CSI (ESC [ … final), OSC (ESC ] … BEL|ST) and two-byte escapes.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// C0 controls except tab; DEL. Shown as the Unicode "control picture" for each.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function sanitizeLine(text: string, maxChars = 64 * 1024, totalBytes = text.length): string {
  let s = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (s.includes('\x1b')) s = s.replace(ANSI, '');
  // A progress bar redraws with \r: what a terminal shows is the text after the last one.
  const cr = s.lastIndexOf('\r');
  if (cr >= 0 && cr < s.length - 1) s = s.slice(cr + 1);
  s = s.replace(CONTROL, (c) => (c === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
  if (s.length > maxChars || totalBytes > maxChars * 4) {
    s = `${s.slice(0, maxChars)} … [line of ${formatBytes(totalBytes)} cut; the raw log file has it whole]`;
  }
  return s;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}
