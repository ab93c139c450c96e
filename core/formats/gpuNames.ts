// GPU names as serving configs write them, to catalog ids (core/catalog/gpus.ts):
//   Kubernetes GPU feature discovery `nvidia.com/gpu.product`: NVIDIA-H100-80GB-HBM3, NVIDIA-A100-SXM4-80GB, NVIDIA-L4, NVIDIA-H100-PCIe
//   SkyPilot accelerators: H100, A100 (40 GB), A100-80GB, L4, A10G, L40S, V100, V100-32GB, H200, B200
//   Slurm gres types: gpu:h100:4, gpu:a100_80gb:8 (site-defined; read like catalog aliases)
import { findGpu, gpuCandidates, gpuGuess, type GpuInfo } from '../catalog/gpus';

export type GpuDialect = 'gfd' | 'skypilot' | 'slurm';

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
