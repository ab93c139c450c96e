// Foreign files in the editor: a Kubernetes manifest with a `vllm serve` command, a script, a
// torchtitan TOML… A file that no reader claims (core/formats) costs one cheap look and gets
// nothing. A claimed one is checked with the one check (core/check/checkFile.ts → foreign.ts) on
// every change; its diagnostics, code lenses, hover and quick fixes come from that one result,
// kept per document version.
import { MarkupKind, type CodeLens, type Diagnostic, type Hover } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFileSteps, isContextFile, type FileCheck } from '../../core/check/checkFile';
import { claimingReaders } from '../../core/formats/index';
import { contextHover, foreignDefaults } from '../../core/formats/context';
import { launcherDefaults } from '../../core/formats/launcherLink';
import type { ForeignDefaults } from '../../core/formats/types';
import { renderMarkdown } from '../../core/estimate/index';
import { foreignValueHover } from '../../core/check/foreignHover';
import { schemaIndex } from '../../core/validate/schema';
import type { ClusterLookup } from '../../core/validate/rules';
import { rangeOf, toDiagnostic, type QuickFix } from './diagnostics';

export interface ForeignDeps {
  clusters(uri: string): ClusterLookup | undefined;
  generation(): number;
  readerFor(uri: string): (rel: string) => string | undefined;
  settings(): ForeignDefaults;
  /** The names in the folder of the file at `uri` (undefined until listed): the scripts that may launch a training config. */
  folderNames?(uri: string): readonly string[] | undefined;
}

interface Entry {
  version: number;
  generation: number;
  check: FileCheck;
  diagnostics: Diagnostic[];
}

export class ForeignFiles {
  private entries = new Map<string, Entry>();

  constructor(private readonly deps: ForeignDeps) {}

  /** The check of a foreign document, or undefined when no reader claims it (then it gets nothing). */
  check(doc: TextDocument): Entry | undefined {
    const steps = this.checkSteps(doc);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /** Whether the check of this version is there already (`check` then costs nothing). */
  ready(doc: TextDocument): boolean {
    const hit = this.entries.get(doc.uri);
    return !!hit && hit.version === doc.version && hit.generation === this.deps.generation();
  }

  /**
   * `check` in steps (checkFileSteps), for the time-sliced publish: a large manifest or config is
   * read in one step, and each job or service in it is written, parsed and checked in steps after.
   * The caller drops the generator when the document changes meanwhile.
   */
  *checkSteps(doc: TextDocument): Generator<void, Entry | undefined> {
    const hit = this.entries.get(doc.uri);
    const generation = this.deps.generation();
    if (hit && hit.version === doc.version && hit.generation === generation) return hit;
    const version = doc.version;
    const text = doc.getText();
    // A gantry.context.yaml is checked as itself (core/formats/context.ts), though no reader claims it.
    if (!claimingReaders(doc.uri, text).length && !isContextFile(doc.uri)) {
      this.entries.delete(doc.uri);
      return undefined;
    }
    const readFile = this.deps.readerFor(doc.uri);
    // A training config also learns its world size from a script beside it that launches it (launcherLink.ts).
    const defaults = launcherDefaults(doc.uri, text, foreignDefaults(readFile, this.deps.settings()), () => this.deps.folderNames?.(doc.uri), readFile);
    const check = yield* checkFileSteps(text, { fileName: doc.uri, clusters: this.deps.clusters(doc.uri), readFile, defaults });
    if (!check.gantry) {
      this.entries.delete(doc.uri);
      return undefined;
    }
    const entry = { version, generation, check, diagnostics: check.problems.map((p) => toDiagnostic(doc, p)) };
    this.entries.set(doc.uri, entry);
    return entry;
  }

  /** The estimate summary on each command or config. */
  codeLenses(doc: TextDocument): CodeLens[] {
    const e = this.check(doc);
    if (!e) return [];
    return e.check.estimates.map((x) => {
      const spec = e.check.foreign?.[x.docIndex];
      return { range: rangeOf(doc, x.anchor.offset, x.anchor.length), command: { title: `$(dashboard) ${x.estimate.summary}${spec ? ` — ${spec.label}` : ''}`, command: '' } };
    });
  }

  /**
   * On a value the readers took (`--max-model-len 32768`, a TOML `seq_len`): what Gantry reads it
   * as, with the estimate's one line. Elsewhere on the line of a command or config's anchor: the
   * full breakdown and every assumption.
   */
  hover(doc: TextDocument, offset: number): Hover | undefined {
    if (isContextFile(doc.uri)) {
      const h = contextHover(doc.getText(), offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeOf(doc, h.offset, h.length) } : undefined;
    }
    const e = this.check(doc);
    if (!e) return undefined;
    const specs = e.check.foreign ?? [];
    const summary = (i: number) => {
      const x = e.check.estimates.find((y) => y.docIndex === i);
      return x ? `Estimate: ${x.estimate.summary} (the breakdown and every assumption: hover the line with the lens)` : undefined;
    };
    const value = foreignValueHover(specs, offset, schemaIndex, summary);
    if (value) return { contents: { kind: MarkupKind.Markdown, value: value.markdown }, range: rangeOf(doc, value.offset, value.length) };
    const line = doc.positionAt(offset).line;
    for (const x of e.check.estimates) {
      if (doc.positionAt(x.anchor.offset).line !== line) continue;
      const spec = e.check.foreign?.[x.docIndex];
      const head = spec ? `**${spec.label}** (read by Gantry as ${spec.job.kind === 'InferenceService' ? 'an' : 'a'} ${spec.job.kind})\n\n` : '';
      // The anchor's range where the cursor is on it; elsewhere on its line none (the editor then highlights the word under the cursor).
      const onAnchor = offset >= x.anchor.offset && offset <= x.anchor.offset + x.anchor.length;
      return { contents: { kind: MarkupKind.Markdown, value: head + renderMarkdown(x.estimate) }, ...(onAnchor ? { range: rangeOf(doc, x.anchor.offset, x.anchor.length) } : {}) };
    }
    return undefined;
  }

  /** The fixes of a diagnostic published for the current version (matched by code and range). */
  fixes(doc: TextDocument, d: Pick<Diagnostic, 'code' | 'range' | 'message'>): QuickFix[] {
    const e = this.check(doc);
    if (!e) return [];
    const i = e.diagnostics.findIndex((x) => x.code === d.code && x.message === d.message && x.range.start.line === d.range.start.line && x.range.start.character === d.range.start.character);
    if (i < 0) return [];
    return (e.check.problems[i].fixes ?? []).map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits.map((x) => ({ range: rangeOf(doc, x.offset, x.length), newText: x.newText })) }));
  }

  closed(uri: string): void {
    this.entries.delete(uri);
  }
}
