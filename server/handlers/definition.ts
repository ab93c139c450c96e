// Go to definition: from a job's `spec.cluster` value to the Cluster's name, open or on disk.
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cursorAt } from '../../core/spec/cursor';
import { readRegularFileSync, uriToPath } from '../workspace';
import { rangeOf } from './diagnostics';
import type { HandlerContext } from './context';

export function definition(ctx: HandlerContext): (params: DefinitionParams) => Location | null {
  return (params) => {
    const open = ctx.gantryFile(params.textDocument.uri);
    if (!open) return null;
    const { doc, file } = open;
    const cur = cursorAt(file.text, file.docs, doc.offsetAt(params.position));
    if (!cur || cur.position !== 'value' || cur.path.join('.') !== 'spec.cluster') return null;
    const entry = ctx.workspace.clusters.scopedTo(doc.uri).get(unquote(cur.word.text));
    if (!entry) return null;
    const target = ctx.document(entry.file) ?? loadText(entry.file);
    if (!target) return null;
    return { uri: entry.file, range: rangeOf(target, entry.nameOffset, entry.nameLength) };
  };
}

const unquote = (s: string): string => s.replace(/^["']|["']$/g, '');

/** A Cluster file that is not open, read from disk (a regular file only: never a FIFO or a device). */
function loadText(uri: string): TextDocument | undefined {
  const p = uriToPath(uri);
  const text = p ? readRegularFileSync(p) : undefined;
  return typeof text === 'string' ? TextDocument.create(uri, 'yaml', 0, text) : undefined;
}
