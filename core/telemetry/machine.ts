// This machine's GPUs as nvidia-smi lists them, and what a `local` Cluster (the jobs that run here)
// should say of them. The example workspace's local Cluster is a placeholder (8 × H100) that its
// comment asks the user to change "to what nvidia-smi shows": the editor asks nvidia-smi once and,
// where the Cluster says otherwise, puts a hint on its `nodes.gpu` with a fix that writes the
// machine's GPUs (catalog id, count, and the ECC mode of a card whose ECC can be switched).
//
// Pure: the caller runs `nvidia-smi MACHINE_QUERY_ARGS` (no shell) and hands over its output.
import { findGpu, type GpuInfo } from '../catalog/gpus';
import { gpuFromProductLabel } from '../catalog/gpuProducts';
import { setValueEdit } from '../spec/edit';
import { anchorOf, type ParsedDoc } from '../spec/parse';
import type { ClusterDoc } from '../spec/types';
import { quote, type Fix, type Problem, type TextEditAt } from '../validate/problem';
import { parseQueryLine, type QueryPlan } from './nvidiaSmi';

/** One sample per GPU: index, NVML device name, framebuffer total (MiB). */
export const MACHINE_QUERY_ARGS: readonly string[] = ['--query-gpu=index,name,memory.total', '--format=csv,noheader,nounits'];
const PLAN: QueryPlan = { fields: ['index', 'name', 'memory.total'], keys: ['gpu', 'name', 'memTotalMiB'], kinds: ['int', 'str', 'num'], missing: [] };
/** More GPUs than one node holds is not a listing to trust. */
const MAX_GPUS = 72;
/** nvidia-smi's device name as shown (NVML names are short; a longer one is cut). */
const NAME_CHARS = 80;

export interface MachineGpus {
  /** The NVML device name of the most common GPU model here. */
  name: string;
  /** GPUs of that model. */
  count: number;
  /** GPUs of other models beside them (a display card, a mixed box). */
  others: number;
  /** The smallest framebuffer total of those GPUs (nvidia-smi memory.total, MiB). */
  memTotalMiB: number;
  /** The catalog GPU the name is, when the catalog has it. */
  gpu?: GpuInfo;
  /** A card with switchable GDDR ECC: the mode its framebuffer total shows (ECC keeps 1/16 of it). */
  ecc?: 'on' | 'off';
}

/** The GPUs in nvidia-smi's answer to MACHINE_QUERY_ARGS; undefined when it lists none. */
export function readMachineGpus(stdout: string): MachineGpus | undefined {
  const byName = new Map<string, { count: number; minMiB: number }>();
  let total = 0;
  for (const line of stdout.split('\n')) {
    const s = parseQueryLine(line.trim(), PLAN, 'localhost', 0);
    if (!s || !s.name || !(s.memTotalMiB && s.memTotalMiB > 0)) continue;
    if (++total > MAX_GPUS) return undefined;
    const name = s.name.slice(0, NAME_CHARS);
    const e = byName.get(name) ?? { count: 0, minMiB: Number.POSITIVE_INFINITY };
    e.count++;
    e.minMiB = Math.min(e.minMiB, s.memTotalMiB);
    byName.set(name, e);
  }
  let best: [string, { count: number; minMiB: number }] | undefined;
  for (const entry of byName) if (!best || entry[1].count > best[1].count) best = entry;
  if (!best) return undefined;
  const [name, { count, minMiB }] = best;
  const gpu = gpuFromProductLabel(name.split(' ').join('-')) ?? findGpu(name);
  return { name, count, others: total - count, memTotalMiB: minMiB, ...(gpu ? { gpu } : {}), ...(gpu?.ecc ? { ecc: eccModeOf(gpu, minMiB) } : {}) };
}

/** ECC on shows 15/16 of the card's framebuffer (46068 of 49140 MiB on a 48 GB card); the nearer of the two. */
function eccModeOf(g: GpuInfo, memTotalMiB: number): 'on' | 'off' {
  const full = g.nominalMemoryGB * 1024;
  return Math.abs(memTotalMiB - (full * 15) / 16) < Math.abs(memTotalMiB - full) ? 'on' : 'off';
}

export interface MachineAdvice {
  message: string;
  /** Where the hint goes: the Cluster's nodes.gpu. */
  path: string[];
  title: string;
  edits: { path: string[]; value: unknown }[];
}

/**
 * A `local` Cluster whose nodes.gpu says other than this machine: another model, count or ECC mode (or, for a
 * GPU the catalog lacks, another name or a memoryGiB more than 2 % off). Undefined when it agrees or is not local.
 */
export function localClusterAdvice(cluster: ClusterDoc, m: MachineGpus): MachineAdvice | undefined {
  if (cluster.spec?.scheduler?.type !== 'local') return undefined;
  const g = cluster.spec.nodes?.gpu;
  if (!g || typeof g !== 'object') return undefined;
  const stated = typeof g.model === 'string' ? findGpu(g.model) : undefined;
  const memGiB = Math.round((m.memTotalMiB / 1024) * 100) / 100;
  const given = typeof g.memoryGiB === 'number';
  const sameModel = m.gpu ? stated?.id === m.gpu.id : g.model === m.name && given && Math.abs(g.memoryGiB! / memGiB - 1) <= 0.02;
  const statedEcc = typeof g.ecc === 'boolean' ? (g.ecc ? 'on' : 'off') : m.gpu?.ecc;
  const eccDiffers = !!m.ecc && !given && statedEcc !== m.ecc;
  if (sameModel && g.count === m.count && !eccDiffers) return undefined;
  const id = m.gpu?.id ?? m.name;
  const edits: MachineAdvice['edits'] = [
    { path: ['spec', 'nodes', 'gpu', 'model'], value: id },
    { path: ['spec', 'nodes', 'gpu', 'count'], value: m.count },
  ];
  // The card's own ECC mode: written only where it is not the catalog's default, or the Cluster says otherwise.
  if (m.gpu?.ecc && m.ecc && (m.ecc !== m.gpu.ecc || typeof g.ecc === 'boolean')) edits.push({ path: ['spec', 'nodes', 'gpu', 'ecc'], value: m.ecc === 'on' });
  if (!m.gpu) edits.push({ path: ['spec', 'nodes', 'gpu', 'memoryGiB'], value: memGiB });
  const each = `${m.memTotalMiB.toLocaleString('en-US')} MiB each${m.ecc ? `, ECC ${m.ecc}` : ''}`;
  const others = m.others ? ` and ${m.others} GPU${m.others === 1 ? '' : 's'} of another model` : '';
  const says = `${typeof g.count === 'number' ? g.count : '?'} × ${quote(g.model, 40)}${typeof g.ecc === 'boolean' ? ` (ECC ${g.ecc ? 'on' : 'off'})` : ''}`;
  const unknown = m.gpu ? '' : ` The catalog does not know ${quote(m.name, 40)}: the fix describes it by nvidia-smi's memory total (CUDA reports a few hundred MiB less; see docs/catalog.md).`;
  return {
    message: `This machine has ${m.count} × ${m.name} (${each}, from nvidia-smi)${others}; cluster ${quote(cluster.metadata?.name ?? '', 40)} says ${says}. Jobs on a local Cluster run here, and their estimates use the Cluster's GPUs.${unknown}`,
    path: ['spec', 'nodes', 'gpu'],
    title: `Set nodes.gpu to this machine's: ${m.count} × ${id}${edits.some((e) => e.path[3] === 'ecc') ? `, ECC ${m.ecc}` : ''}${m.gpu ? '' : `, ${memGiB} GiB`}`,
    edits,
  };
}

/** The advice of each local Cluster in a file, as problems with file offsets and text edits (severity hint). */
export function machineProblems(text: string, docs: readonly ParsedDoc[], m: MachineGpus): Problem[] {
  const out: Problem[] = [];
  for (const doc of docs) {
    const v = doc.value as ClusterDoc | undefined;
    if (!v || typeof v !== 'object' || v.kind !== 'Cluster') continue;
    const a = localClusterAdvice(v, m);
    if (!a) continue;
    const edits = a.edits.map((e) => setValueEdit(text, doc, e.path, e.value));
    const fixes: Fix[] = edits.every((e) => e) ? [{ title: a.title, edits: edits as TextEditAt[], sets: a.edits }] : [];
    out.push({ code: MACHINE_GPUS_CODE, severity: 'hint', message: a.message, path: a.path, fixes, docIndex: doc.index, ...anchorOf(doc, a.path, 'key') });
  }
  return out;
}

/** The hint's code (docs/diagnostics.md). */
export const MACHINE_GPUS_CODE = 'local-gpus-differ';
