// Hover: a job's estimate breakdown on its `kind` line; elsewhere the field's description and the
// resolved value (a preset's architecture, a GPU's figures, a cluster's shape).
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { schemaIndex } from '../../core/validate/schema';
import { hover as coreHover } from '../../core/spec/complete';
import { findGpu } from '../../core/catalog/gpus';
import type { Workspace } from '../workspace';
import { rangeOf } from './diagnostics';
import type { EstimateFeatures } from './estimates';
import type { HandlerContext } from './context';

export function hover(ctx: HandlerContext, estimates: EstimateFeatures): (params: HoverParams) => Hover | null {
  return (params) => {
    const open = ctx.gantryFile(params.textDocument.uri);
    if (!open) return null;
    const { doc, file } = open;
    const offset = doc.offsetAt(params.position);
    const est = estimates.hover(doc, file, offset);
    if (est) return est;
    const h = coreHover(file.text, file.docs, offset, {
      schemas: schemaIndex,
      clusterNames: () => ctx.workspace.clusters.scopedTo(doc.uri).names(),
      describeCluster: (name) => describeCluster(ctx.workspace, name, doc.uri),
    });
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeOf(doc, h.offset, h.length) } : null;
  };
}

function describeCluster(workspace: Workspace, name: string, fromUri: string): string | undefined {
  const e = workspace.clusters.scopedTo(fromUri).get(name);
  if (!e) return undefined;
  const s = e.doc.spec ?? ({} as never);
  const gpu = s.nodes?.gpu;
  const g = gpu?.model ? findGpu(gpu.model) : undefined;
  const lines = [
    `**Cluster ${name}** — ${s.scheduler?.type ?? 'local'} scheduler${s.scheduler?.partition ? `, partition ${s.scheduler.partition}` : ''}`,
    `${s.nodes?.count ?? '?'} nodes × ${gpu?.count ?? '?'} × ${gpu?.model ?? '?'}${g ? ` (${g.memoryGiB} GiB each)` : typeof gpu?.memoryGiB === 'number' ? ` (not in the catalog: ${gpu.memoryGiB} GiB each as given${typeof gpu.peakBf16Tflops === 'number' ? `, ${gpu.peakBf16Tflops} TFLOPS bf16` : ''})` : ''}`,
  ];
  if (s.interconnect?.intraNode || s.interconnect?.interNode) {
    lines.push(`Interconnect: ${s.interconnect.intraNode?.type ?? '—'} inside a node, ${s.interconnect.interNode?.type ?? '—'}${s.interconnect.interNode?.gbpsPerGpu ? ` ${s.interconnect.interNode.gbpsPerGpu} Gb/s per GPU` : ''} between nodes`);
  }
  return lines.join('\n\n');
}
