// This machine's GPUs on a `local` Cluster: nvidia-smi is asked once (the telemetry command, no
// shell, in a trusted workspace only) and core/telemetry/machine.ts says where a local Cluster's
// nodes.gpu differs from it; this file turns its offsets into ranges, keeps the hints current and
// offers the fix in the light bulb. No nvidia-smi (a laptop, a CI box): nothing is said.
import * as vscode from 'vscode';
import { mayHoldCluster } from '../../core/spec/clusters';
import { parseSpecFile } from '../../core/spec/parse';
import { machineProblems, queryMachineGpus, runsHere, type MachineGpus } from '../../core/telemetry/machine';
import { runsConfig } from './config';
import type { Problem } from '../../core/validate/problem';
import { Debounce, hintDiagnostics, hintFixes } from './hints';

/** Diagnostics of this provider carry this source. */
export const MACHINE_SOURCE = 'gantry machine';
const DEBOUNCE_MS = 300;
/** A failed or hung nvidia-smi is asked again after this long, on the next edit or open of a local Cluster. */
const RETRY_MS = 60_000;
export class LocalMachine implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection(MACHINE_SOURCE);
  private readonly byUri = new Map<string, { version: number; problems: Problem[] }>();
  private readonly debounce = new Debounce(DEBOUNCE_MS);
  private readonly subscriptions: vscode.Disposable[] = [];
  private machine?: Promise<MachineGpus | undefined>;
  private disposed = false;

  /** When a failed or hung query may be asked again (ms since the epoch). */
  private retryAt = 0;
  /** nvidia-smi answered that there is nothing here (or telemetry is off): edits need no parse until the settings change. */
  private nothingHere = false;

  constructor(private readonly query: (command: readonly string[]) => Promise<MachineGpus | undefined | null> = queryMachineGpus) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('gantry.runs.telemetry.command') || e.affectsConfiguration('gantry.runs.telemetry.enabled')) {
          this.machine = undefined;
          this.nothingHere = false;
          this.refresh();
        }
      }),
    );
    this.refresh();
  }

  /**
   * What nvidia-smi says of this machine: asked once (again after the telemetry settings change, and a minute after
   * a query that failed or hung: a driver without persistence mode can take long to answer first); never with
   * telemetry off.
   */
  machineGpus(): Promise<MachineGpus | undefined> {
    if (this.machine && this.retryAt && Date.now() >= this.retryAt) this.machine = undefined;
    if (!this.machine) {
      this.retryAt = 0;
      if (!runsConfig.telemetryEnabled) {
        this.nothingHere = true;
        this.machine = Promise.resolve(undefined);
      } else {
        const asked: Promise<MachineGpus | undefined> = this.query(runsConfig.telemetryCommand).then((m) => {
          // An answer to a question the settings have since replaced says nothing of the new one.
          if (asked === this.machine) {
            if (m === null) this.retryAt = Date.now() + RETRY_MS;
            else if (m === undefined) this.nothingHere = true;
          }
          return m ?? undefined;
        });
        this.machine = asked;
      }
    }
    return this.machine;
  }

  refresh(): void {
    this.byUri.clear();
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const known = this.byUri.get(document.uri.toString());
    return known && known.version === document.version ? hintFixes(document, known.problems, context, MACHINE_SOURCE, true) : [];
  }

  private schedule(document: vscode.TextDocument): void {
    if (!this.candidate(document)) {
      if (this.byUri.has(document.uri.toString())) this.forget(document.uri);
      return;
    }
    this.debounce.run(document.uri.toString(), () => void this.update(document));
  }

  /** A trusted workspace's YAML file that may hold a Cluster (nvidia-smi runs only in a trusted one). */
  private candidate(document: vscode.TextDocument): boolean {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file' || document.isClosed) return false;
    if (!(document.languageId === 'yaml' || /\.gantry\.ya?ml$/.test(document.uri.path))) return false;
    return true;
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    try {
      const text = document.getText();
      const version = document.version;
      // nvidia-smi is asked only once a file holds a local Cluster; on a machine it found nothing on, no file is parsed.
      const parsed = mayHoldCluster(text) && !this.nothingHere ? parseSpecFile(text) : [];
      if (!parsed.some((d) => runsHere(d.value))) return this.forget(document.uri);
      const asked = this.machineGpus();
      const m = await asked;
      // A newer question (the settings changed) or a newer text answers for this document.
      if (this.disposed || asked !== this.machine || document.isClosed || document.version !== version) return;
      const problems = m ? machineProblems(text, parsed, m) : [];
      this.byUri.set(document.uri.toString(), { version, problems });
      if (!problems.length) this.collection.delete(document.uri);
      else this.collection.set(document.uri, hintDiagnostics(document, problems, MACHINE_SOURCE));
    } catch {
      // A file the parser cannot read gets no hint; its problems are the language server's to show.
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debounce.cancel(key);
    this.byUri.delete(key);
    if (!this.disposed) this.collection.delete(uri);
  }

  dispose(): void {
    this.disposed = true;
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
