// Completion inside a serving command wherever it lives (a `vllm serve` line in a script, the
// `args:` of a Deployment, a compose `command:`): typing `--` offers the flags Gantry reads for that
// engine, each with what it sets (the spec field's first sentence and unit; a pick's words),
// leaving out the flags the command already writes. The flags come from the reader's own table
// (core/formats/vllmArgs.ts readFlags), so what is offered is what is read. In file offsets.
import type { ForeignSpec } from '../formats/types';
import { readFlags } from '../formats/vllmArgs';
import { fieldSummary, type CompletionEntry } from '../spec/complete';
import type { SchemaIndex } from '../spec/schemaNav';

/** The flags that name the model (vLLM's `--model`, SGLang's `--model-path`). */
const MODEL_FLAGS = new Set(['--model', '--model-path']);
/** Flags the reader still takes from older vLLM releases but current ones replaced (by `--speculative-config`): read, not offered. */
const LEGACY_FLAGS = new Set(['--speculative-model', '--num-speculative-tokens']);

/** The characters that end a flag word: blanks, quotes, a flow list's brackets and commas, `=` (the value), a line continuation. */
function ends(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 91 || c === 93 || c === 44 || c === 61 || c === 92;
}

/** The flags to offer at `offset` in a foreign file whose specs are `specs`; empty unless the cursor is on a word that starts with `-` inside a serving command. */
export function foreignFlagCompletion(text: string, offset: number, specs: readonly ForeignSpec[], schemas: SchemaIndex): CompletionEntry[] {
  if (offset < 0 || offset > text.length) return [];
  let a = offset;
  // A flag word is short: a bounded look back (a minified line of thousands of characters costs nothing).
  while (a > 0 && offset - a < 80 && !ends(text.charCodeAt(a - 1))) a--;
  if (text.charCodeAt(a) !== 45 /* - */) return [];
  let b = offset;
  while (b < text.length && b - offset < 80 && !ends(text.charCodeAt(b))) b++;
  const spec = specs.find((s) => s.serveCommand && a >= s.serveCommand.extent.offset && a <= s.serveCommand.extent.offset + s.serveCommand.extent.length + 1);
  if (!spec?.serveCommand) return [];
  const typed = text.slice(a, b);
  // Written already: a flag of a field the command sets (under any alias: `--tp` is `--tp-size`), and the model flag when the model is given (as `vllm serve MODEL` too).
  const written = new Set([...spec.sources.values()].map((e) => e.label));
  const hasModel = spec.sources.has('spec.model') || spec.sources.has('spec.model.preset');
  const isWritten = (f: { flag: string; field?: string }) => written.has(f.flag) || (f.field !== undefined && spec.sources.has(`spec.${f.field}`)) || (hasModel && MODEL_FLAGS.has(f.flag));
  const replace = { offset: a, length: b - a };
  return readFlags(spec.serveCommand.engine)
    .filter((f) => f.flag === typed || (!isWritten(f) && !LEGACY_FLAGS.has(f.flag)))
    .map((f) => {
      // A key inside an object field (multimodal.skipProfiling) is its own path.
      const s = f.field ? schemas.at('InferenceService', ['spec', ...f.field.split('.')]) : undefined;
      const doc = [f.field ? `Read by Gantry as \`${f.field}\`.` : '', fieldSummary(s) ?? '', f.values ? `Values: ${f.values.map((v) => `\`${v}\``).join(', ')}` : ''].filter(Boolean).join('\n\n');
      return { label: f.flag, kind: 'property' as const, ...(f.field ? { detail: f.field } : {}), ...(doc ? { documentation: doc } : {}), insertText: f.flag, replace };
    });
}
