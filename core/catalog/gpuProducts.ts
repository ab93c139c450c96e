// Catalog GPU ids ↔ the node label Kubernetes clusters carry for them. NVIDIA's GPU feature
// discovery (part of the GPU operator) labels each node `nvidia.com/gpu.product=<name>`, where the
// name is the device name NVML reports (what nvidia-smi prints) with spaces replaced by '-'. The
// manifest writer selects nodes with it; a reader of foreign manifests maps a selector back to a
// catalog GPU with gpuFromProductLabel. A GPU with no entry gets no node selector (said in the output).
import { findGpu, type GpuInfo } from './gpus';

export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

/** Catalog id → GPU feature discovery product label (NVML device name, spaces → '-'). */
export const GPU_PRODUCT_LABELS: Readonly<Record<string, string>> = {
  'H100-SXM-80GB': 'NVIDIA-H100-80GB-HBM3',
  'H100-PCIe-80GB': 'NVIDIA-H100-PCIe',
  'H100-NVL-94GB': 'NVIDIA-H100-NVL',
  'H200-SXM-141GB': 'NVIDIA-H200',
  'B200-180GB': 'NVIDIA-B200',
  'GB200-186GB': 'NVIDIA-GB200',
  'A100-SXM-80GB': 'NVIDIA-A100-SXM4-80GB',
  'A100-SXM-40GB': 'NVIDIA-A100-SXM4-40GB',
  'A100-PCIe-80GB': 'NVIDIA-A100-80GB-PCIe',
  'A100-PCIe-40GB': 'NVIDIA-A100-PCIE-40GB',
  'A10G-24GB': 'NVIDIA-A10G',
  'L4-24GB': 'NVIDIA-L4',
  'L40S-48GB': 'NVIDIA-L40S',
  'V100-SXM-16GB': 'Tesla-V100-SXM2-16GB',
  'V100-SXM-32GB': 'Tesla-V100-SXM2-32GB',
  'V100-PCIe-16GB': 'Tesla-V100-PCIE-16GB',
  'RTX-4090-24GB': 'NVIDIA-GeForce-RTX-4090',
  'RTX-3060-12GB': 'NVIDIA-GeForce-RTX-3060',
  'RTX-PRO-6000-96GB': 'NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition',
  'RTX-A5000-24GB': 'NVIDIA-RTX-A5000',
  'RTX-A4000-16GB': 'NVIDIA-RTX-A4000',
  'RTX-4080-16GB': 'NVIDIA-GeForce-RTX-4080',
  'T4-16GB': 'Tesla-T4',
  'A30-24GB': 'NVIDIA-A30',
  'L20-48GB': 'NVIDIA-L20',
  'RTX-5090-32GB': 'NVIDIA-GeForce-RTX-5090',
  'RTX-5080-16GB': 'NVIDIA-GeForce-RTX-5080',
  'RTX-5070-Ti-16GB': 'NVIDIA-GeForce-RTX-5070-Ti',
  'RTX-5070-12GB': 'NVIDIA-GeForce-RTX-5070',
  'RTX-5060-Ti-16GB': 'NVIDIA-GeForce-RTX-5060-Ti',
  'GB10-128GB': 'NVIDIA-GB10',
  'RTX-4090-D-24GB': 'NVIDIA-GeForce-RTX-4090-D',
  'RTX-3090-Ti-24GB': 'NVIDIA-GeForce-RTX-3090-Ti',
  'RTX-3050-8GB': 'NVIDIA-GeForce-RTX-3050',
  'RTX-5000-Ada-32GB': 'NVIDIA-RTX-5000-Ada-Generation',
  'Quadro-RTX-6000-24GB': 'Quadro-RTX-6000',
  'RTX-PRO-4000-Blackwell-24GB': 'NVIDIA-RTX-PRO-4000-Blackwell',
};

const BY_LABEL = new Map(Object.entries(GPU_PRODUCT_LABELS).map(([id, label]) => [label.toLowerCase(), id]));

/** The product label for a catalog GPU id or alias, or undefined where Gantry does not know it. */
export function gpuProductLabel(idOrAlias: string): string | undefined {
  const g = findGpu(idOrAlias);
  return g ? GPU_PRODUCT_LABELS[g.id] : undefined;
}

/**
 * The catalog GPU a `nvidia.com/gpu.product` value names. GPU feature discovery appends `-SHARED`
 * under time-slicing and `-MIG-<profile>` under the mixed MIG strategy; both still name the card.
 */
export function gpuFromProductLabel(value: string): GpuInfo | undefined {
  let v = value.trim();
  const mig = v.indexOf('-MIG-');
  if (mig > 0) v = v.slice(0, mig);
  if (v.endsWith('-SHARED')) v = v.slice(0, -'-SHARED'.length);
  const id = BY_LABEL.get(v.toLowerCase());
  return id ? findGpu(id) : findGpu(v);
}

/** The extended resource a pod requests the GPU as (NVIDIA's or AMD's device plugin). */
export function gpuResourceName(g: GpuInfo | undefined): string {
  return g?.vendor === 'amd' ? 'amd.com/gpu' : 'nvidia.com/gpu';
}
