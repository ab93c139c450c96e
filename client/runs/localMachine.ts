// This machine's GPUs on a `local` Cluster: nvidia-smi is asked once (the telemetry command, no
// shell, in a trusted workspace only) and core/telemetry/machine.ts says where a local Cluster's
// nodes.gpu differs from it; this file turns its offsets into ranges, keeps the hints current and
// offers the fix in the light bulb. No nvidia-smi (a laptop, a CI box): nothing is said.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { mayHoldCluster } from '../../core/spec/clusters';
import { parseSpecFile } from '../../core/spec/parse';
import { MACHINE_GPUS_CODE, MACHINE_QUERY_ARGS, machineProblems, readMachineGpus, type MachineGpus } from '../../core/telemetry/machine';
import type { Problem } from '../../core/validate/problem';
import { runsConfig } from './config';

/** Diagnostics of this provider carry this source. */
export const MACHINE_SOURCE = 'gantry machine';
const DEBOUNCE_MS = 300;
/** nvidia-smi answers a one-shot query in well under a second; a hung driver must not hold the hint. */
const QUERY_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 64 * 1024;

/** Runs the one-shot query; undefined when there is no nvidia-smi, it fails, or it lists no GPU. */
export function queryMachineGpus(command: readonly string[]): Promise<MachineGpus | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(command[0], [...command.slice(1), ...MACHINE_QUERY_ARGS], { timeout: QUERY_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (err, stdout) => resolve(err ? undefined : readMachineGpus(String(stdout))));
    } catch {
      resolve(undefined);
    }
  });
}

export class LocalMachine implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection(MACHINE_SOURCE);
  private readonly byUri = new Map<string, { version: number; problems: Problem[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private machine?: Promise<MachineGpus | undefined>;

  constructor(private readonly query: (command: readonly string[]) => Promise<MachineGpus | undefined> = queryMachineGpus) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('gantry.runs.telemetry.command')) {
          this.machine = undefined;
          this.refresh();
        }
      }),
    );
    this.refresh();
  }

  /** What nvidia-smi says of this machine: asked once (again after the telemetry command changes). */
  machineGpus(): Promise<MachineGpus | undefined> {
    this.machine ??= this.query(runsConfig.telemetryCommand);
    return this.machine;
  }

  refresh(): void {
    this.byUri.clear();
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const problems = this.byUri.get(document.uri.toString());
    if (!problems || problems.version !== document.version) return [];
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== MACHINE_SOURCE) continue;
      const p = problems.problems.find((x) => x.code === d.code && document.positionAt(x.offset).isEqual(d.range.start));
      for (const f of p?.fixes ?? []) {
        const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        for (const e of f.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.newText);
        out.push(action);
      }
    }
    return out;
  }

  private schedule(document: vscode.TextDocument): void {
    if (!this.candidate(document)) {
      if (this.byUri.has(document.uri.toString())) this.forget(document.uri);
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, DEBOUNCE_MS),
    );
  }

  /** A trusted workspace's YAML file that may hold a Cluster (nvidia-smi runs only in a trusted one). */
  private candidate(document: vscode.TextDocument): boolean {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file' || document.isClosed) return false;
    if (!(document.languageId === 'yaml' || /\.gantry\.ya?ml$/.test(document.uri.path))) return false;
    return true;
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    const text = document.getText();
    const version = document.version;
    if (!mayHoldCluster(text)) return this.forget(document.uri);
    const m = await this.machineGpus();
    if (document.isClosed || document.version !== version) return;
    let problems: Problem[] = [];
    if (m) {
      try {
        problems = machineProblems(text, parseSpecFile(text), m);
      } catch {
        // A file the parser cannot read gets no hint; its problems are the language server's to show.
      }
    }
    this.byUri.set(document.uri.toString(), { version, problems });
    if (!problems.length) {
      this.collection.delete(document.uri);
      return;
    }
    this.collection.set(
      document.uri,
      problems.map((p) => {
        const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + p.length)), p.message, vscode.DiagnosticSeverity.Hint);
        d.source = MACHINE_SOURCE;
        d.code = MACHINE_GPUS_CODE;
        return d;
      }),
    );
  }

  private forget(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
