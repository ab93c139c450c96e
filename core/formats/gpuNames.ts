// GPU names as serving configs write them, to catalog ids (core/catalog/gpus.ts):
//   Kubernetes GPU feature discovery `nvidia.com/gpu.product`: NVIDIA-H100-80GB-HBM3, NVIDIA-A100-SXM4-80GB, NVIDIA-L4, NVIDIA-H100-PCIe
//   SkyPilot accelerators: H100, A100 (40 GB), A100-80GB, L4, A10G, L40S, V100, V100-32GB, H200, B200
//   Slurm gres types: gpu:h100:4, gpu:a100_80gb:8 (site-defined; read like catalog aliases)
//   GKE `cloud.google.com/gke-accelerator`: nvidia-l4, nvidia-tesla-a100 (40 GB), nvidia-a100-80gb, nvidia-h100-80gb, nvidia-h100-mega-80gb
import { findGpu, gpuCandidates, gpuGuess, type GpuInfo } from '../catalog/gpus';

export type GpuDialect = 'gfd' | 'gke' | 'skypilot' | 'slurm';

/**
 * GKE's accelerator types (the `cloud.google.com/gke-accelerator` node label, GKE's GPU docs), each one card: the
 * machine series fixes it. nvidia-tesla-a100 is A2 Standard's A100 40GB (A2 Ultra's 80 GB is nvidia-a100-80gb);
 * nvidia-h100-80gb (A3 High/Edge) and nvidia-h100-mega-80gb (A3 Mega) are both the H100 SXM 80GB; GCE's V100 is the
 * 16 GB SXM2 card. P100, P4 and K80 are not in the catalog and stay unknown.
 */
const GKE: Record<string, string> = {
  'nvidia-gb200': 'GB200-186GB',
  'nvidia-b200': 'B200-180GB',
  'nvidia-h200-141gb': 'H200-SXM-141GB',
  'nvidia-h100-mega-80gb': 'H100-SXM-80GB',
  'nvidia-h100-80gb': 'H100-SXM-80GB',
  'nvidia-a100-80gb': 'A100-SXM-80GB',
  'nvidia-tesla-a100': 'A100-SXM-40GB',
  'nvidia-l4': 'L4-24GB',
  'nvidia-tesla-t4': 'T4-16GB',
  'nvidia-tesla-v100': 'V100-SXM-16GB',
  'nvidia-rtx-pro-6000': 'RTX-PRO-6000-96GB',
};

/** SkyPilot's own names where they differ from the catalog's aliases (SkyPilot's plain A100 is the 40 GB card). */
const SKYPILOT: Record<string, string> = {
  a100: 'A100-SXM-40GB',
  'a100-80gb': 'A100-SXM-80GB',
  h100: 'H100-SXM-80GB',
  'h100-mega': 'H100-SXM-80GB',
  'v100-32gb': 'V100-SXM-32GB',
};

export interface GpuName {
  gpu?: GpuInfo;
  /** What the reading assumed, for the hover (another card the name could mean). */
  note?: string;
}

const lower = (s: string) => s.toLowerCase().split('_').join('-').split(' ').join('-');

export function gpuFromName(name: string, dialect: GpuDialect): GpuName {
  const n = lower(name.trim());
  if (!n || n.length > 128) return {};
  if (n.indexOf('-mig-') >= 0) return { note: `${name} is a MIG slice, which the catalog does not describe` };
  if (dialect === 'skypilot' && SKYPILOT[n]) return { gpu: findGpu(SKYPILOT[n]) };
  if (dialect === 'gke' && Object.hasOwn(GKE, n)) return { gpu: findGpu(GKE[n]) };
  // GPU feature discovery under the GPU Operator's time-slicing adds `-SHARED` to the product (NVIDIA-H100-80GB-HBM3-SHARED): the same card, shared.
  if (dialect === 'gfd' && n.endsWith('-shared') && n.length > 7) {
    const r = gpuFromName(n.slice(0, -7), dialect);
    return r.gpu ? { gpu: r.gpu, note: `${name} is ${r.gpu.id} shared by time-slicing: each pod may get only part of its time, and the memory is shared with the other pods on it${r.note ? `; ${r.note}` : ''}` } : r;
  }
  const direct = findGpu(n);
  let stripped = n.startsWith('nvidia-') ? n.slice(7) : n;
  if (stripped.startsWith('tesla-')) stripped = stripped.slice(6);
  const hit = direct ?? findGpu(stripped);
  if (hit) {
    const guess = gpuGuess(direct ? n : stripped);
    return { gpu: hit, note: guess ? `${name} read as ${hit.id} (it could also be ${guess.alternatives.map((g) => g.id).join(', ')})` : undefined };
  }
  // Labels with the words in another order or with package names (NVIDIA-A100-80GB-PCIe, H100-SXM5-80GB).
  const words = stripped
    .split('-')
    .filter((w) => w && w !== 'hbm3' && w !== 'hbm3e' && w !== 'hbm2e')
    .map((w) => (w === 'sxm4' || w === 'sxm5' || w === 'sxm2' ? 'sxm' : w));
  const cands = gpuCandidates(words.join('-'));
  if (cands.length === 1) return { gpu: cands[0] };
  if (cands.length > 1)
    return {
      gpu: cands[0],
      note: `${name} read as ${cands[0].id} (it could also be ${cands
        .slice(1)
        .map((g) => g.id)
        .join(', ')})`,
    };
  return {};
}
