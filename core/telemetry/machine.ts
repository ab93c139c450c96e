// This machine's GPUs as nvidia-smi lists them, and what a `local` Cluster (the jobs that run here)
// should say of them. The example workspace's local Cluster is a placeholder (8 × H100) that its
// comment asks the user to change "to what nvidia-smi shows": the editor asks nvidia-smi once and,
// where the Cluster says otherwise, puts a hint on its `nodes.gpu` with a fix that writes the
// machine's GPUs (catalog id, count, and the ECC mode of a card whose ECC can be switched).
//
// readMachineGpus and the advice are pure; queryMachineGpus runs the one query (an argument list, no shell).
import { assumedEccMode, eccMode, eccModeFromTotalMiB, findGpu, MEMORY_MATCH_TOLERANCE, memoryGiBInEccMode, type GpuInfo } from '../catalog/gpus';
import { grouped } from '../estimate/format';
import { gpuFromProductLabel } from '../catalog/gpuProducts';
import { setValueEdit } from '../spec/edit';
import { anchorOf, type ParsedDoc } from '../spec/parse';
import type { ClusterDoc } from '../spec/types';
import { quote, type Fix, type Problem, type TextEditAt } from '../validate/problem';
import { parseQueryLine, type QueryPlan } from './nvidiaSmi';
import { runOnce, telemetrySourceOf } from './sampler';

/** nvidia-smi answers a one-shot query in well under a second; a hung driver must not hold the answer. */
const QUERY_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 64 * 1024;

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
  /** What answered, as messages name it: 'nvidia-smi', or 'nvidia-smi (replayed)' for a recording played back. */
  source: string;
}

/** The GPUs in nvidia-smi's answer to MACHINE_QUERY_ARGS; undefined when it lists none. */
export function readMachineGpus(stdout: string, source = 'nvidia-smi'): MachineGpus | undefined {
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
  const gpu = gpuFromProductLabel(name.split(' ').join('-'));
  const ecc = gpu && eccModeFromTotalMiB(gpu, minMiB);
  return { name, count, others: total - count, memTotalMiB: minMiB, ...(gpu ? { gpu } : {}), ...(ecc ? { ecc } : {}), source };
}

/**
 * Runs the one-shot query (runOnce: no shell, output bounded, the process group killed past `timeoutMs`). Undefined
 * when there is no nvidia-smi or it lists no GPU; null when it failed or hung, which is worth asking again later.
 */
export async function queryMachineGpus(command: readonly string[], timeoutMs = QUERY_TIMEOUT_MS): Promise<MachineGpus | undefined | null> {
  const source = telemetrySourceOf(command) === 'replay' ? 'nvidia-smi (replayed)' : 'nvidia-smi';
  const r = await runOnce(command, MACHINE_QUERY_ARGS, timeoutMs, MAX_OUTPUT_BYTES);
  if (r.error === 'ENOENT') return undefined;
  if (r.code !== 0) return null;
  return readMachineGpus(r.stdout, source);
}

export interface MachineAdvice {
  message: string;
  /** Where the hint goes: the Cluster's nodes.gpu. */
  path: string[];
  title: string;
  edits: { path: string[]; value: unknown }[];
}

/** A Cluster whose jobs run on this machine: the local scheduler, which is also the one a Cluster naming none gets (core/runs/plan.ts). */
export function runsHere(v: unknown): v is ClusterDoc {
  if (!v || typeof v !== 'object' || (v as ClusterDoc).kind !== 'Cluster') return false;
  const type = (v as ClusterDoc).spec?.scheduler?.type;
  return type === undefined || type === 'local';
}

/**
 * A Cluster that runs here whose nodes.gpu says other than this machine: another model, more GPUs than it has, or
 * the other ECC mode (for a GPU the catalog lacks, another name or a memoryGiB more than 2 % off). Undefined when it
 * agrees or does not run here.
 */
export function localClusterAdvice(cluster: ClusterDoc, m: MachineGpus): MachineAdvice | undefined {
  if (!runsHere(cluster)) return undefined;
  const g = cluster.spec?.nodes?.gpu;
  if (!g || typeof g !== 'object') return undefined;
  const stated = typeof g.model === 'string' ? findGpu(g.model) : undefined;
  const memGiB = Math.round((m.memTotalMiB / 1024) * 100) / 100;
  const given = positive(g.memoryGiB);
  const sameModel = m.gpu ? stated?.id === m.gpu.id : g.model === m.name && given && Math.abs(g.memoryGiB! / memGiB - 1) <= MEMORY_MATCH_TOLERANCE;
  // The mode the Cluster would be estimated in, were it this card (undefined where a given memoryGiB is the reading).
  const assumed = assumedEccMode(m.gpu, g);
  const eccDiffers = !!m.ecc && assumed !== undefined && assumed !== m.ecc;
  // Fewer GPUs than the machine has can be meant (a shared box: nvidia-smi lists every GPU, whatever
  // CUDA_VISIBLE_DEVICES a run sets); more than it has cannot run here.
  const countOk = typeof g.count === 'number' && Number.isInteger(g.count) && g.count >= 1 && g.count <= m.count;
  if (sameModel && countOk && !eccDiffers) return undefined;
  const id = m.gpu?.id ?? m.name;
  const count = countOk ? (g.count as number) : m.count;
  const at = (key: string) => ['spec', 'nodes', 'gpu', key];
  const edits: MachineAdvice['edits'] = [];
  if (!sameModel) edits.push({ path: at('model'), value: id });
  if (!countOk) edits.push({ path: at('count'), value: count });
  if (m.gpu) {
    // The card's own ECC mode, where the Cluster would otherwise be estimated in the other one.
    if (eccDiffers) edits.push({ path: at('ecc'), value: m.ecc === 'on' });
    // Figures the Cluster gave for another card it named are not this card's: they become the catalog's for this
    // one. For the right card they are the user's readings (a MIG slice, a vGPU) and stay.
    if (!sameModel) {
      if (given) edits.push({ path: at('memoryGiB'), value: memoryGiBInEccMode(m.gpu, m.ecc) });
      if (positive(g.peakBf16Tflops)) edits.push({ path: at('peakBf16Tflops'), value: m.gpu.tflops.bf16 ?? m.gpu.tflops.fp16 });
      if (positive(g.peakFp8Tflops) && m.gpu.tflops.fp8) edits.push({ path: at('peakFp8Tflops'), value: m.gpu.tflops.fp8 });
      if (positive(g.memoryBandwidthGBps)) edits.push({ path: at('memoryBandwidthGBps'), value: m.gpu.memoryBandwidthGBps });
    }
  } else if (!sameModel) edits.push({ path: at('memoryGiB'), value: memGiB });
  const each = `${grouped(m.memTotalMiB)} MiB each${m.ecc ? `, ECC ${m.ecc}` : ''}`;
  const others = m.others ? ` and ${m.others} GPU${m.others === 1 ? '' : 's'} of another model` : '';
  const says = `${typeof g.count === 'number' ? g.count : '?'} × ${typeof g.model === 'string' ? quote(g.model, 40) : '?'}${typeof g.ecc === 'boolean' ? ` (ECC ${eccMode(g.ecc)})` : ''}`;
  const unknown = m.gpu || sameModel ? '' : ` The catalog does not know ${quote(m.name, 40)}: the fix describes it by nvidia-smi's memory total (CUDA reports a few hundred MiB less; see docs/catalog.md).`;
  const link = cluster.spec?.interconnect?.intraNode?.type;
  const linkNote = m.gpu && count > 1 && typeof link === 'string' && link !== m.gpu.intraNodeLink ? ` Its interconnect.intraNode says ${quote(link, 20)}; the catalog's link for ${m.gpu.id} is ${m.gpu.intraNodeLink}: check it.` : '';
  const shown = m.gpu ? id : quote(id, 40);
  return {
    message: `This machine has ${m.count} × ${quote(m.name, 60)} (${each}, from ${m.source})${others}; cluster ${quote(cluster.metadata?.name ?? '', 40)} says ${says}. Jobs on a local Cluster run here, and their estimates use the Cluster's GPUs.${unknown}${linkNote}`,
    path: ['spec', 'nodes', 'gpu'],
    title: `Set nodes.gpu to this machine's: ${count} × ${shown}${edits.some((e) => e.path[3] === 'ecc') ? `, ECC ${m.ecc}` : ''}${m.gpu || sameModel ? '' : `, ${memGiB} GiB`}`,
    edits,
  };
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The advice of each local Cluster in a file, as problems with file offsets and text edits (severity hint). */
export function machineProblems(text: string, docs: readonly ParsedDoc[], m: MachineGpus): Problem[] {
  const out: Problem[] = [];
  for (const doc of docs) {
    const v = doc.value;
    if (!runsHere(v)) continue;
    const a = localClusterAdvice(v, m);
    if (!a) continue;
    const edits = a.edits.map((e) => setValueEdit(text, doc, e.path, e.value));
    // Two inserts at one place (keys missing from an empty `gpu: {}`) would run together: no fix then.
    const clash = edits.some((e, i) => e && edits.some((f, j) => j !== i && f && f.offset === e.offset && e.length === 0 && f.length === 0));
    const fixes: Fix[] = edits.length && edits.every((e) => e) && !clash ? [{ title: a.title, edits: edits as TextEditAt[], sets: a.edits }] : [];
    out.push({ code: MACHINE_GPUS_CODE, severity: 'hint', message: a.message, path: a.path, fixes, docIndex: doc.index, ...anchorOf(doc, a.path, 'key') });
  }
  return out;
}

/** The hint's code (docs/diagnostics.md). */
export const MACHINE_GPUS_CODE = 'local-gpus-differ';
