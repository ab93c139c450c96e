// A cheap test for the many YAML files that are not runnable specs, before the ▶ Run lens parses
// one: a line whose first non-blank text is `kind:` followed by TrainingJob or InferenceService
// (quoted or not, the value possibly on the next line, as YAML allows). One forward pass: the
// regular expression it replaces (`^\s*kind:…` with the `m` flag) restarted its `\s*` at every
// line start of a run of blank lines and went quadratic on them.
const KINDS = ['TrainingJob', 'InferenceService'];

const isBlank = (c: number) => c === 32 || c === 9; // space, tab
const isSpace = (c: number) => isBlank(c) || c === 10 || c === 13;
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

export function mayHoldRunnable(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At a line start: skip blanks (not newlines), look for `kind:`.
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (text.startsWith('kind:', i)) {
      let j = i + 5;
      let lineStart = -1;
      // Whitespace after the colon may cross lines; the scan goes on from where it stopped (the
      // start of the last line it entered), so no character is looked at more than twice.
      for (; j < n && isSpace(text.charCodeAt(j)); j++) if (text.charCodeAt(j) === 10) lineStart = j + 1;
      const q = text.charCodeAt(j);
      const v = q === 34 || q === 39 ? j + 1 : j;
      for (const k of KINDS) if (text.startsWith(k, v) && !isWord(text.charCodeAt(v + k.length))) return true;
      if (lineStart >= 0) {
        i = lineStart;
        continue;
      }
    }
    const nl = text.indexOf('\n', i);
    if (nl < 0) return false;
    i = nl + 1;
  }
  return false;
}
