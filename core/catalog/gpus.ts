// The GPU catalog. Peak figures are dense (no 2:4 sparsity): vendor spec sheets quote sparse numbers
// for Hopper/Ada/Blackwell, which are halved here, as composer/llm-foundry's GPU_AVAILABLE_FLOPS does
// ("nvidia publishes spec sheet with a 2x sparsity factor").
//
// `memoryBytes` is the capacity CUDA reports (cudaMemGetInfo total, what PyTorch and vLLM call
// "total"), which is a little less than the marketing size: an "80 GB" H100 reports 79.19 GiB
// (vLLM 0.19 logs, llm-d accuracy report). Where no such reading was available the figure is
// nvidia-smi's MiB total or the nominal size, and the source says so.
//
// Usable memory, where no reading of the card itself was found, follows one stated rule
// (`USABLE_RULE`, derived from the readings that were found):
// - HBM parts: the "80 GB" is 80 GiB of HBM, and the driver keeps ~1 %: 0.99 × nominal
//   (H100 79.19/80, A100 79.15/80, H200 139.8/141, B200 178.4/180);
// - GDDR with ECC on (data-centre and RTX-pro cards, ECC on by default): nvidia-smi shows 15/16 of
//   the nominal GiB (46068 MiB on a 48 GB L40/L40S/RTX 6000 Ada) and PyTorch ~0.6 GiB less
//   (44.40 GiB on an L40, 44.43 on an RTX 6000 Ada);
// - GDDR without ECC (GeForce): ~98.5 % of nominal (23.61–23.69 GiB on 24 GB cards, 31.37 on 32 GB);
// - a card whose GDDR ECC can be switched holds its default mode (`ecc`); a Cluster's `nodes.gpu.ecc` asks for
//   the other, which moves the figure by 1/16 of the memory (`eccCostGiB`: 3 GiB on a 48 GB card);
// - AMD Instinct: 99.7 % of nominal (MI300X 191.5/192).

import type { IntraNodeLinkType } from '../spec/types';
import { nearest } from '../spec/suggest';

export interface GpuPeakTflops {
  /** Dense bf16 tensor-core TFLOPS; absent where the GPU has no bf16 tensor cores (V100). */
  bf16?: number;
  fp16: number;
  /** Dense fp8 tensor-core TFLOPS; absent before Hopper/Ada. */
  fp8?: number;
  /** Non-tensor fp32 TFLOPS. */
  fp32: number;
}

export interface GpuInfo {
  id: string;
  aliases: string[];
  name: string;
  vendor: 'nvidia' | 'amd' | 'intel';
  memoryBytes: number;
  memoryGiB: number;
  /** Marketing size, in GB (10^9) as the vendor sells it. */
  nominalMemoryGB: number;
  memoryBandwidthGBps: number;
  tflops: GpuPeakTflops;
  /** GPU-to-GPU link inside a node; `gbpsPerGpu` is GB/s per GPU in one direction. */
  nvlink?: { generation: 2 | 3 | 4 | 5; gbpsPerGpu: number };
  intraNodeLink: IntraNodeLinkType;
  pcieGen: 3 | 4 | 5;
  tdpW: number;
  source: string;
  /**
   * How `memoryGiB` was obtained: a reading of the card (PyTorch/vLLM/nvidia-smi), the stated rule, or, where no CUDA
   * total of this card was found, a sibling card's: its reading (a card of the same memory) or its ratio of CUDA total
   * to nvidia-smi total; the source names the sibling.
   */
  memorySource?: 'reading' | 'rule' | 'sibling';
  /**
   * GDDR memory whose ECC can be switched (`nvidia-smi -e`): the mode `memoryGiB` holds, which is the card's
   * default. ECC on GDDR6/GDDR6X keeps 1/16 of the memory for check bits (nvidia-smi shows 46068 of 49140 MiB
   * on a 48 GB card), so the other mode differs by `eccCostGiB`. Absent on HBM cards (ECC always on, in
   * side-band bits, at no cost) and on cards without ECC.
   */
  ecc?: 'on' | 'off';
  /**
   * The GPU and the CPU share one memory (GB10): NVML reports no framebuffer memory (nvidia-smi's "Not Supported",
   * nvmlDeviceGetMemoryInfo NotSupported), which changes what tools that size by NVML take it for.
   */
  unifiedMemory?: boolean;
  summary: string;
}

/** Usable GiB from the nominal size by the rule in the header, for cards with no reading. */
export function usableGiB(nominalGB: number, memory: 'hbm' | 'gddr-ecc' | 'gddr' | 'amd-hbm'): number {
  const v = memory === 'hbm' ? nominalGB * 0.99 : memory === 'gddr-ecc' ? (nominalGB * 15) / 16 - 0.6 : memory === 'gddr' ? nominalGB * 0.985 : nominalGB * 0.997;
  return Math.round(v * 100) / 100;
}

const GIB = 1024 ** 3;

/** The memory ECC keeps on a card with switchable GDDR ECC: 1/16 of its capacity (GDDR capacities are binary: 48 GB is 48 GiB of chips). */
export function eccCostGiB(g: Pick<GpuInfo, 'nominalMemoryGB'>): number {
  return Math.round((g.nominalMemoryGB / 16) * 100) / 100;
}

/** A card's usable memory in an ECC mode: the catalog holds its default mode's; the other is 1/16 of the card apart. */
export function memoryGiBInEccMode(g: Pick<GpuInfo, 'memoryGiB' | 'nominalMemoryGB' | 'ecc'>, mode: 'on' | 'off' | undefined): number {
  if (!g.ecc || !mode || mode === g.ecc) return g.memoryGiB;
  return Math.round((g.memoryGiB + (mode === 'off' ? eccCostGiB(g) : -eccCostGiB(g))) * 100) / 100;
}

/** `nodes.gpu.ecc: true | false` as a mode. */
export const eccMode = (on: boolean): 'on' | 'off' => (on ? 'on' : 'off');

/**
 * The ECC mode an estimate takes for `card` as a Cluster's nodes.gpu describes it: the stated `ecc`, else the
 * mode the catalog holds; undefined for a card without switchable ECC, or where a given memoryGiB is the reading.
 */
export function assumedEccMode(card: Pick<GpuInfo, 'ecc'> | undefined, gpu: { ecc?: unknown; memoryGiB?: unknown }): 'on' | 'off' | undefined {
  if (!card?.ecc || (typeof gpu.memoryGiB === 'number' && Number.isFinite(gpu.memoryGiB) && gpu.memoryGiB > 0)) return undefined;
  return typeof gpu.ecc === 'boolean' ? eccMode(gpu.ecc) : card.ecc;
}

/**
 * The ECC mode a framebuffer total (nvidia-smi memory.total, DCGM used + free; MiB) shows on a card with
 * switchable GDDR ECC: ECC on leaves 15/16 of it (46068 of 49140 MiB on a 48 GB card). Undefined for a card
 * without switchable ECC, or a total within 2 % of neither (a vGPU or MIG slice, another card).
 */
export function eccModeFromTotalMiB(g: Pick<GpuInfo, 'nominalMemoryGB' | 'ecc'>, totalMiB: number): 'on' | 'off' | undefined {
  if (!g.ecc || typeof totalMiB !== 'number' || !(totalMiB > 0)) return undefined;
  const off = g.nominalMemoryGB * 1024;
  const on = (off * 15) / 16;
  if (Math.abs(totalMiB / on - 1) <= MEMORY_MATCH_TOLERANCE) return 'on';
  if (Math.abs(totalMiB / off - 1) <= MEMORY_MATCH_TOLERANCE) return 'off';
  return undefined;
}

/** Two memory figures of one card agree within this share (a reading's rounding, not another card or ECC mode: those are 6 % or more apart). */
export const MEMORY_MATCH_TOLERANCE = 0.02;

function gpu(e: Omit<GpuInfo, 'memoryBytes' | 'summary'> & { summary?: string }): GpuInfo {
  const memoryBytes = Math.round(e.memoryGiB * GIB);
  const link = e.nvlink ? `NVLink${e.nvlink.generation} ${e.nvlink.gbpsPerGpu} GB/s` : e.intraNodeLink;
  const peak = e.tflops.bf16 ?? e.tflops.fp16;
  const summary = e.summary ?? `${e.name}: ${e.memoryGiB} GiB usable (${e.nominalMemoryGB} GB), ${peak} TFLOPS ${e.tflops.bf16 ? 'bf16' : 'fp16'} dense` + `${e.tflops.fp8 ? `, ${e.tflops.fp8} fp8` : ''}, ${link}, ${e.tdpW} W`;
  return { ...e, memoryBytes, summary };
}

const NV_H100 = 'NVIDIA H100 Tensor Core GPU datasheet (dense = sparse/2); composer GPU_AVAILABLE_FLOPS h100-sxm bf16 1.979e15/2';
const NV_A100 = 'NVIDIA A100 datasheet; composer GPU_AVAILABLE_FLOPS a100 bf16 312e12 ("sxm and pcie have same flop counts")';

export const GPUS: readonly GpuInfo[] = [
  gpu({
    id: 'H100-SXM-80GB',
    aliases: ['h100', 'h100-sxm', 'h100-80gb', 'h100-sxm5', 'H100 80GB HBM3', 'NVIDIA H100 80GB HBM3'],
    name: 'NVIDIA H100 SXM 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.19,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 3350,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 700,
    source: `${NV_H100}; 79.19 GiB total from vLLM 0.19 startup logs on H100-80GB-HBM3 (llm-d accuracy report)`,
  }),
  gpu({
    id: 'H100-SXM-96GB',
    aliases: ['h100-96gb', 'h100-hbm2e', 'H100 SXM HBM2e 96GB'],
    name: 'NVIDIA H100 SXM 96GB HBM2e',
    vendor: 'nvidia',
    memoryGiB: 94.5,
    nominalMemoryGB: 96,
    memoryBandwidthGBps: 2400,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 700,
    source: 'torchtitan benchmarks/llama3_h100_202412_torchtitan.md ("96GB HBM2e with 2.4 TB/sec"; lower-TDP part, run at 500 W); usable GiB assumed as 96 GB minus the same ~1.5 % reserve as the 80 GB part',
  }),
  gpu({
    id: 'H100-PCIe-80GB',
    aliases: ['h100-pcie', 'H100 PCIe'],
    name: 'NVIDIA H100 PCIe 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.19,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 2000,
    tflops: { bf16: 756.5, fp16: 756.5, fp8: 1513, fp32: 51 },
    nvlink: { generation: 4, gbpsPerGpu: 300 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 350,
    source: `${NV_H100}; composer h100-pcie bf16 1.513e15/2; NVLink bridge pairs 600 GB/s bidirectional`,
  }),
  gpu({
    id: 'H100-NVL-94GB',
    aliases: ['h100-nvl', 'H100 NVL'],
    name: 'NVIDIA H100 NVL 94GB',
    vendor: 'nvidia',
    memoryGiB: 93.58,
    nominalMemoryGB: 94,
    memoryBandwidthGBps: 3900,
    tflops: { bf16: 835.5, fp16: 835.5, fp8: 1670.5, fp32: 60 },
    nvlink: { generation: 4, gbpsPerGpu: 300 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 400,
    source: `${NV_H100} (NVL column); nvidia-smi 95830 MiB`,
  }),
  gpu({
    id: 'H200-SXM-141GB',
    aliases: ['h200', 'h200-sxm', 'NVIDIA H200'],
    name: 'NVIDIA H200 SXM 141GB',
    vendor: 'nvidia',
    memoryGiB: 139.8,
    nominalMemoryGB: 141,
    memoryBandwidthGBps: 4800,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 700,
    source: 'NVIDIA H200 datasheet (same compute as H100 SXM; composer treats h200 as h100-sxm); read on an H200 here: nvidia-smi 143771 MiB, PyTorch total 150,109,880,320 B = 139.80 GiB (bench/estimatorH200Heldout.jsonl, test/fixtures/nvidia-smi/h200-*)',
    memorySource: 'reading',
  }),
  gpu({
    id: 'B200-180GB',
    aliases: ['b200', 'NVIDIA B200'],
    name: 'NVIDIA B200 180GB',
    vendor: 'nvidia',
    memoryGiB: 178.4,
    nominalMemoryGB: 180,
    memoryBandwidthGBps: 8000,
    tflops: { bf16: 2250, fp16: 2250, fp8: 4500, fp32: 75 },
    nvlink: { generation: 5, gbpsPerGpu: 900 },
    intraNodeLink: 'nvlink5',
    pcieGen: 5,
    tdpW: 1000,
    source: 'NVIDIA HGX B200 datasheet (per GPU, dense = sparse/2); NVLink5 1.8 TB/s bidirectional; nvidia-smi 183359 MiB',
  }),
  gpu({
    id: 'GB200-186GB',
    aliases: ['gb200', 'gb200-nvl72', 'NVIDIA GB200'],
    name: 'NVIDIA GB200 (one Blackwell GPU)',
    vendor: 'nvidia',
    memoryGiB: 184.0,
    nominalMemoryGB: 186,
    memoryBandwidthGBps: 8000,
    tflops: { bf16: 2500, fp16: 2500, fp8: 5000, fp32: 80 },
    nvlink: { generation: 5, gbpsPerGpu: 900 },
    intraNodeLink: 'nvlink5',
    pcieGen: 5,
    tdpW: 1200,
    source: 'NVIDIA GB200 NVL72 datasheet, per GPU (dense = sparse/2); NVLink5 1.8 TB/s bidirectional per GPU',
  }),
  gpu({
    id: 'A100-SXM-80GB',
    aliases: ['a100', 'a100-80gb', 'a100-sxm', 'a100-sxm4-80gb', 'NVIDIA A100-SXM4-80GB'],
    name: 'NVIDIA A100 SXM 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.15,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 2039,
    tflops: { bf16: 312, fp16: 312, fp32: 19.5 },
    nvlink: { generation: 3, gbpsPerGpu: 300 },
    intraNodeLink: 'nvlink3',
    pcieGen: 4,
    tdpW: 400,
    source: `${NV_A100}; PyTorch OOM messages report 79.15 GiB total capacity`,
  }),
  gpu({
    id: 'A100-SXM-40GB',
    aliases: ['a100-40gb', 'a100-sxm4-40gb', 'NVIDIA A100-SXM4-40GB'],
    name: 'NVIDIA A100 SXM 40GB',
    vendor: 'nvidia',
    memoryGiB: 39.59,
    nominalMemoryGB: 40,
    memoryBandwidthGBps: 1555,
    tflops: { bf16: 312, fp16: 312, fp32: 19.5 },
    nvlink: { generation: 3, gbpsPerGpu: 300 },
    intraNodeLink: 'nvlink3',
    pcieGen: 4,
    tdpW: 400,
    source: `${NV_A100}; PyTorch OOM messages report 39.59 GiB total capacity`,
  }),
  gpu({
    id: 'A100-PCIe-80GB',
    aliases: ['a100-pcie', 'a100-pcie-80gb', 'NVIDIA A100 80GB PCIe'],
    name: 'NVIDIA A100 PCIe 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.15,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 1935,
    tflops: { bf16: 312, fp16: 312, fp32: 19.5 },
    nvlink: { generation: 3, gbpsPerGpu: 300 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    source: `${NV_A100}; NVLink bridge pairs only (600 GB/s bidirectional), otherwise PCIe 4`,
  }),
  gpu({
    id: 'A100-PCIe-40GB',
    aliases: ['a100-pcie-40gb', 'NVIDIA A100-PCIE-40GB'],
    name: 'NVIDIA A100 PCIe 40GB',
    vendor: 'nvidia',
    memoryGiB: 39.59,
    nominalMemoryGB: 40,
    memoryBandwidthGBps: 1555,
    tflops: { bf16: 312, fp16: 312, fp32: 19.5 },
    nvlink: { generation: 3, gbpsPerGpu: 300 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 250,
    source: `${NV_A100}; NVLink bridge pairs only`,
  }),
  gpu({
    id: 'A10G-24GB',
    aliases: ['a10g', 'NVIDIA A10G'],
    name: 'NVIDIA A10G 24GB',
    vendor: 'nvidia',
    memoryGiB: 22.2,
    nominalMemoryGB: 24,
    ecc: 'on',
    memoryBandwidthGBps: 600,
    tflops: { bf16: 125, fp16: 125, fp32: 31.2 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    source: 'composer GPU_AVAILABLE_FLOPS a10g bf16 125e12; AWS G5 documentation; PyTorch reports 22.20 GiB total',
  }),
  gpu({
    id: 'L4-24GB',
    aliases: ['l4', 'NVIDIA L4'],
    name: 'NVIDIA L4 24GB',
    vendor: 'nvidia',
    memoryGiB: 22.03,
    nominalMemoryGB: 24,
    ecc: 'on',
    memoryBandwidthGBps: 300,
    tflops: { bf16: 121, fp16: 121, fp8: 242.5, fp32: 30.3 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 72,
    source: 'NVIDIA L4 datasheet (242 TFLOPS bf16 with sparsity → 121 dense); PyTorch reports 22.03 GiB total',
  }),
  gpu({
    id: 'L40S-48GB',
    aliases: ['l40s', 'NVIDIA L40S'],
    name: 'NVIDIA L40S 48GB',
    vendor: 'nvidia',
    memoryGiB: 44.39,
    nominalMemoryGB: 48,
    ecc: 'on',
    memoryBandwidthGBps: 864,
    tflops: { bf16: 362.05, fp16: 362.05, fp8: 733, fp32: 91.6 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 350,
    source: 'NVIDIA L40S datasheet (733 TFLOPS bf16 sparse → 362 dense); nvidia-smi 46068 MiB less reserve',
  }),
  gpu({
    id: 'V100-SXM-16GB',
    aliases: ['v100', 'v100-16gb', 'v100-sxm2', 'Tesla V100-SXM2-16GB'],
    name: 'NVIDIA V100 SXM2 16GB',
    vendor: 'nvidia',
    memoryGiB: 15.78,
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 900,
    tflops: { fp16: 125, fp32: 15.7 },
    nvlink: { generation: 2, gbpsPerGpu: 150 },
    intraNodeLink: 'nvlink2',
    pcieGen: 3,
    tdpW: 300,
    source: 'NVIDIA V100 datasheet; composer v100-sxm fp16 125e12; 16160 MiB per nvidia-smi (HF perf_train_gpu_one)',
  }),
  gpu({
    id: 'V100-SXM-32GB',
    aliases: ['v100-32gb', 'Tesla V100-SXM2-32GB'],
    name: 'NVIDIA V100 SXM2 32GB',
    vendor: 'nvidia',
    memoryGiB: 31.75,
    nominalMemoryGB: 32,
    memoryBandwidthGBps: 900,
    tflops: { fp16: 125, fp32: 15.7 },
    nvlink: { generation: 2, gbpsPerGpu: 150 },
    intraNodeLink: 'nvlink2',
    pcieGen: 3,
    tdpW: 300,
    source: 'NVIDIA V100 datasheet; PyTorch reports 31.75 GiB total',
  }),
  gpu({
    id: 'V100-PCIe-16GB',
    aliases: ['v100-pcie', 'Tesla V100-PCIE-16GB'],
    name: 'NVIDIA V100 PCIe 16GB',
    vendor: 'nvidia',
    memoryGiB: 15.78,
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 900,
    tflops: { fp16: 112, fp32: 14 },
    intraNodeLink: 'pcie3',
    pcieGen: 3,
    tdpW: 250,
    source: 'NVIDIA V100 datasheet (PCIe column)',
  }),
  gpu({
    id: 'RTX-4090-24GB',
    aliases: ['rtx4090', '4090', 'NVIDIA GeForce RTX 4090'],
    name: 'NVIDIA GeForce RTX 4090 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.65,
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 1008,
    tflops: { bf16: 165.2, fp16: 165.2, fp8: 330.3, fp32: 82.6 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 450,
    source: 'NVIDIA Ada Lovelace architecture whitepaper (fp16 tensor with fp32 accumulate, dense); PyTorch reports 23.65 GiB total',
  }),
  gpu({
    id: 'MI300X-192GB',
    aliases: ['mi300x', 'AMD Instinct MI300X'],
    name: 'AMD Instinct MI300X 192GB',
    vendor: 'amd',
    memoryGiB: 191.5,
    nominalMemoryGB: 192,
    memoryBandwidthGBps: 5300,
    tflops: { bf16: 1307.4, fp16: 1307.4, fp8: 2614.9, fp32: 163.4 },
    intraNodeLink: 'infinity-fabric',
    pcieGen: 5,
    tdpW: 750,
    source: 'AMD Instinct MI300X datasheet (dense); 7 Infinity Fabric links, 896 GB/s aggregate bidirectional',
  }),
  gpu({
    id: 'MI325X-256GB',
    aliases: ['mi325x', 'AMD Instinct MI325X'],
    name: 'AMD Instinct MI325X 256GB',
    vendor: 'amd',
    memoryGiB: 255.5,
    nominalMemoryGB: 256,
    memoryBandwidthGBps: 6000,
    tflops: { bf16: 1307.4, fp16: 1307.4, fp8: 2614.9, fp32: 163.4 },
    intraNodeLink: 'infinity-fabric',
    pcieGen: 5,
    tdpW: 1000,
    source: 'AMD Instinct MI325X datasheet (dense; same compute as MI300X, HBM3E)',
  }),
  // ---- issue 12: the GPUs people run today. Dense figures (sparse / 2); GeForce cards quote the
  // fp16/bf16 tensor rate with fp32 accumulate (what training and vLLM use), half the fp16-accumulate rate.
  gpu({
    id: 'RTX-3060-12GB',
    aliases: ['rtx3060', '3060', 'rtx-3060', 'NVIDIA GeForce RTX 3060'],
    name: 'NVIDIA GeForce RTX 3060 12GB',
    vendor: 'nvidia',
    memoryGiB: 11.76,
    nominalMemoryGB: 12,
    memoryBandwidthGBps: 360,
    tflops: { bf16: 25.4, fp16: 25.4, fp32: 12.7 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 170,
    memorySource: 'reading',
    source: 'NVIDIA GA106 (RTX 3060: 28 SMs at 1.78 GHz boost; the GA102 whitepaper rate of the RTX 3090 scaled by SMs × clock: fp16/bf16 tensor with fp32 accumulate 25.4 dense, 50.8 with fp16 accumulate; fp32 12.7); 360 GB/s GDDR6, 170 W (NVIDIA spec page); PyTorch OOM messages report 11.76 GiB total capacity',
  }),
  gpu({
    id: 'RTX-3090-24GB',
    aliases: ['rtx3090', '3090', 'rtx-3090', 'NVIDIA GeForce RTX 3090'],
    name: 'NVIDIA GeForce RTX 3090 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.69,
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 936,
    tflops: { bf16: 71, fp16: 71, fp32: 35.6 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 350,
    memorySource: 'reading',
    source: 'NVIDIA Ampere GA102 whitepaper (RTX 3090: fp16/bf16 tensor with fp32 accumulate 71 dense, 142 with fp16 accumulate); 936 GB/s, 350 W (NVIDIA spec page); PyTorch OOM messages report 23.69 GiB total capacity (GitHub issues on RTX 3090)',
  }),
  gpu({
    id: 'RTX-5090-32GB',
    aliases: ['rtx5090', '5090', 'rtx-5090', 'NVIDIA GeForce RTX 5090'],
    name: 'NVIDIA GeForce RTX 5090 32GB',
    vendor: 'nvidia',
    memoryGiB: 31.37,
    nominalMemoryGB: 32,
    memoryBandwidthGBps: 1792,
    tflops: { bf16: 209.5, fp16: 209.5, fp8: 419, fp32: 104.8 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 575,
    memorySource: 'reading',
    source: 'NVIDIA RTX Blackwell GPU architecture whitepaper (fp16 tensor 838 TFLOPS sparse with fp16 accumulate; fp32 accumulate half: 209.5 dense; fp8 419 dense); 1,792 GB/s GDDR7, 575 W; PyTorch OOM messages report 31.37 GiB total capacity (Wan2.1 issue #465)',
  }),
  gpu({
    id: 'RTX-5080-16GB',
    aliases: ['rtx5080', '5080', 'rtx-5080', 'NVIDIA GeForce RTX 5080'],
    name: 'NVIDIA GeForce RTX 5080 16GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(16, 'gddr'),
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 960,
    tflops: { bf16: 112.6, fp16: 112.6, fp8: 225.1, fp32: 56.3 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 360,
    memorySource: 'rule',
    source:
      'NVIDIA GeForce RTX 5080 spec page (84 SMs at 2.617 GHz boost, 1,801 AI TOPS = fp4 sparse; 16 GB GDDR7 on a 256-bit bus, 960 GB/s; 360 W; PCIe 5.0 x16); tensor rates as the RTX 5090 entry reads the RTX Blackwell whitepaper (GeForce: fp32 accumulate at half the fp16-accumulate rate): fp4 sparse / 16 = fp16/bf16 dense with fp32 accumulate 112.6, fp8 225.1; fp32 = SMs × 128 × 2 × clock; usable GiB by the GDDR rule',
  }),
  gpu({
    id: 'RTX-5070-Ti-16GB',
    aliases: ['rtx5070ti', '5070ti', '5070-ti', 'rtx-5070-ti', 'NVIDIA GeForce RTX 5070 Ti'],
    name: 'NVIDIA GeForce RTX 5070 Ti 16GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(16, 'gddr'),
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 896,
    tflops: { bf16: 87.9, fp16: 87.9, fp8: 175.8, fp32: 43.9 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 300,
    memorySource: 'rule',
    source:
      'NVIDIA GeForce RTX 5070 Ti spec page (70 SMs at 2.452 GHz boost, 1,406 AI TOPS = fp4 sparse; 16 GB GDDR7 on a 256-bit bus, 896 GB/s; 300 W; PCIe 5.0 x16); tensor rates as the RTX 5090 entry reads the RTX Blackwell whitepaper (GeForce: fp32 accumulate at half the fp16-accumulate rate): fp4 sparse / 16 = fp16/bf16 dense with fp32 accumulate 87.9, fp8 175.8; fp32 = SMs × 128 × 2 × clock; usable GiB by the GDDR rule',
  }),
  gpu({
    id: 'RTX-5070-12GB',
    aliases: ['rtx5070', '5070', 'rtx-5070', 'NVIDIA GeForce RTX 5070'],
    name: 'NVIDIA GeForce RTX 5070 12GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(12, 'gddr'),
    nominalMemoryGB: 12,
    memoryBandwidthGBps: 672,
    tflops: { bf16: 61.8, fp16: 61.8, fp8: 123.5, fp32: 30.9 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 250,
    memorySource: 'rule',
    source:
      'NVIDIA GeForce RTX 5070 spec page (48 SMs at 2.512 GHz boost, 988 AI TOPS = fp4 sparse; 12 GB GDDR7 on a 192-bit bus, 672 GB/s; 250 W; PCIe 5.0 x16); tensor rates as the RTX 5090 entry reads the RTX Blackwell whitepaper (GeForce: fp32 accumulate at half the fp16-accumulate rate): fp4 sparse / 16 = fp16/bf16 dense with fp32 accumulate 61.8, fp8 123.5; fp32 = SMs × 128 × 2 × clock; usable GiB by the GDDR rule',
  }),
  gpu({
    id: 'GB10-128GB',
    aliases: ['gb10', 'dgx-spark', 'dgx spark', 'NVIDIA GB10', 'NVIDIA DGX Spark'],
    name: 'NVIDIA GB10 (DGX Spark, unified memory)',
    vendor: 'nvidia',
    memoryGiB: 121.69,
    unifiedMemory: true,
    nominalMemoryGB: 128,
    memoryBandwidthGBps: 273,
    tflops: { bf16: 62.5, fp16: 62.5, fp8: 125, fp32: 31 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 140,
    memorySource: 'reading',
    source:
      "NVIDIA DGX Spark spec sheet (GB10 Grace Blackwell superchip: Blackwell GPU, 6,144 CUDA cores, sm_121, up to 1 PFLOP fp4 with sparsity; 128 GB LPDDR5X unified with the 20-core Arm CPU, 273 GB/s; 140 W SoC) and Hot Chips 2025 (31 TFLOPS fp32); tensor rates as the RTX 5090 entry reads the RTX Blackwell whitepaper: fp4 sparse / 16 = bf16 dense 62.5, fp8 125. Memory: the CUDA total a published vLLM 0.27.1 log printed ('Free memory on device (114.54/121.69 GiB)'); the OS and the CPU's processes share it, so free memory at start is less than on a discrete card",
  }),
  gpu({
    id: 'RTX-5060-Ti-16GB',
    aliases: ['rtx5060ti', '5060ti', '5060-ti', 'rtx-5060-ti', 'NVIDIA GeForce RTX 5060 Ti'],
    name: 'NVIDIA GeForce RTX 5060 Ti 16GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(16, 'gddr'),
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 448,
    tflops: { bf16: 47.4, fp16: 47.4, fp8: 94.9, fp32: 23.7 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 180,
    memorySource: 'rule',
    source:
      'NVIDIA GeForce RTX 5060 Ti spec page (36 SMs at 2.572 GHz boost, 759 AI TOPS = fp4 sparse; 16 GB GDDR7 on a 128-bit bus, 448 GB/s; 180 W; PCIe 5.0 x8); tensor rates as the RTX 5090 entry reads the RTX Blackwell whitepaper (GeForce: fp32 accumulate at half the fp16-accumulate rate): fp4 sparse / 16 = fp16/bf16 dense with fp32 accumulate 47.4, fp8 94.9; fp32 = SMs × 128 × 2 × clock; usable GiB by the GDDR rule',
  }),
  // Entered 2026-12-07: cards in published vLLM startups that the catalog lacked. A helper gathered each figure from
  // public spec pages and readings (nvidia-smi totals, vLLM's printed totals), marking which it computed; where no CUDA
  // total was found, usable memory is a sibling card's reading or the rule, and says so.
  gpu({
    id: 'RTX-4090-D-24GB',
    aliases: ['rtx4090d', '4090d', 'rtx-4090d', 'RTX-4090D-24GB', 'NVIDIA GeForce RTX 4090 D'],
    name: 'NVIDIA GeForce RTX 4090 D 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.65,
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 1008,
    tflops: { bf16: 147.1, fp16: 147.1, fp8: 294.2, fp32: 73.5 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 425,
    memorySource: 'sibling',
    source:
      "AD102-250 (114 of the RTX 4090's 128 SMs at 2.52 GHz boost; 24 GB GDDR6X, 1008 GB/s; 425 W by nvidia-smi power caps), spec pages; tensor rates as the Ada whitepaper gives the RTX 4090, scaled by SMs: fp16/bf16 with fp32 accumulate 147.1 dense, fp8 294.2, fp32 73.5 (computed). nvidia-smi shows the RTX 4090's 24564 MiB; no CUDA total was found, so the RTX 4090's reading (23.65 GiB) is taken. Modified 48 GB boards report the same name with 49140 MiB: give memoryGiB for those",
  }),
  gpu({
    id: 'RTX-3090-Ti-24GB',
    aliases: ['rtx3090ti', '3090ti', '3090-ti', 'rtx-3090-ti', 'NVIDIA GeForce RTX 3090 Ti'],
    name: 'NVIDIA GeForce RTX 3090 Ti 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.69,
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 1008,
    tflops: { bf16: 80, fp16: 80, fp32: 40 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 450,
    memorySource: 'sibling',
    source:
      "GA102-350 (84 SMs at 1.86 GHz boost; 24 GB GDDR6X, 1008 GB/s; 450 W), spec pages and nvidia-smi power caps; the GA102 whitepaper rate of the RTX 3090 scaled by SMs × clock: fp16/bf16 tensor with fp32 accumulate 80.0 dense, fp32 40 (quoted and computed). nvidia-smi shows the RTX 3090's 24564 MiB; no CUDA total was found, so the RTX 3090's reading (23.69 GiB) is taken",
  }),
  gpu({
    id: 'RTX-3050-8GB',
    aliases: ['rtx3050', '3050', 'rtx-3050', 'NVIDIA GeForce RTX 3050'],
    name: 'NVIDIA GeForce RTX 3050 8GB',
    vendor: 'nvidia',
    memoryGiB: 7.78,
    nominalMemoryGB: 8,
    memoryBandwidthGBps: 224,
    tflops: { bf16: 18.2, fp16: 18.2, fp32: 9.1 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 130,
    memorySource: 'sibling',
    source:
      'GA106/GA107 (20 SMs at 1.777 GHz boost; 8 GB GDDR6 on 128 bits, 224 GB/s; 130 W, or 115 W for the GA107 build; PCIe 4.0 x8), TechPowerUp review and spec pages; the GA102 whitepaper rate scaled by SMs × clock: fp16/bf16 with fp32 accumulate 18.2 dense, fp32 9.1 (computed). nvidia-smi shows 8192 MiB; no CUDA total was found, so that of other 8 GB GDDR6 cards (RTX 3070, RTX 2070: 7.78 GiB in PyTorch OOM messages) is taken',
  }),
  gpu({
    id: 'RTX-3050-6GB',
    aliases: ['rtx3050-6gb', '3050-6gb', 'rtx-3050-6gb', 'NVIDIA GeForce RTX 3050 6GB'],
    name: 'NVIDIA GeForce RTX 3050 6GB',
    vendor: 'nvidia',
    memoryGiB: 5.79,
    nominalMemoryGB: 6,
    memoryBandwidthGBps: 168,
    tflops: { bf16: 13.5, fp16: 13.5, fp32: 6.77 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 70,
    memorySource: 'sibling',
    source:
      'GA107 desktop card of 2024 (1.47 GHz boost; 6 GB GDDR6 on 96 bits, 168 GB/s; 70 W, slot-powered), spec pages; the sources differ on 2304 or 2048 CUDA cores: 18 SMs taken, fp16/bf16 with fp32 accumulate 13.5 dense, fp32 6.77 (computed; 12.0 and 6.0 with 16). nvidia-smi shows 6144 MiB; no CUDA total was found, so that of another 6 GB GDDR6 card (RTX 2060: 5.79 GiB in a PyTorch OOM message) is taken. The laptop RTX 3050 6GB is another part',
  }),
  gpu({
    id: 'RTX-5000-Ada-32GB',
    aliases: ['rtx-5000-ada', 'rtx5000ada', 'rtx-5000-ada-generation', 'NVIDIA RTX 5000 Ada Generation'],
    name: 'NVIDIA RTX 5000 Ada Generation 32GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(32, 'gddr'),
    nominalMemoryGB: 32,
    ecc: 'off',
    memoryBandwidthGBps: 576,
    tflops: { bf16: 261.1, fp16: 261.1, fp8: 522.2, fp32: 65.3 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 250,
    memorySource: 'rule',
    source:
      'NVIDIA RTX 5000 Ada datasheet (as transcribed in a public repository: 32 GB GDDR6 with ECC, 576 GB/s, 65.3 TFLOPS fp32, 1,044.4 TFLOPS fp8 with sparsity → 522.2 dense, bf16 half that at full rate; 250 W; PCIe 4.0 x16; 100 SMs at 2.55 GHz). Every nvidia-smi reading found (ten or more) shows ECC off and 32760 MiB, so ECC off is the default taken; no CUDA total was found: usable GiB by the GDDR rule',
  }),
  gpu({
    id: 'Quadro-RTX-6000-24GB',
    aliases: ['quadro-rtx-6000', 'quadrortx6000', 'Quadro RTX 6000'],
    name: 'NVIDIA Quadro RTX 6000 24GB (Turing)',
    vendor: 'nvidia',
    memoryGiB: usableGiB(24, 'gddr-ecc'),
    nominalMemoryGB: 24,
    ecc: 'on',
    memoryBandwidthGBps: 672,
    tflops: { fp16: 130.5, fp32: 16.3 },
    intraNodeLink: 'pcie3',
    pcieGen: 3,
    tdpW: 260,
    memorySource: 'rule',
    source:
      'TU102 (72 SMs at 1.77 GHz boost; 24 GB GDDR6 with switchable ECC, 672 GB/s; 260 W active, 250 W passive; PCIe 3.0 x16), spec pages; 16.3 TFLOPS fp32 (NVIDIA), fp16 tensor with fp32 accumulate at full rate 130.5 dense (computed: 72 × 1.77 GHz × 1024); no bf16 or fp8 (Turing). nvidia-smi shows 23040 MiB with ECC on (recent drivers; server cards) and 24220 MiB with it off (workstations): ECC on taken; no CUDA total was found, usable GiB by the GDDR-with-ECC rule',
  }),
  gpu({
    id: 'RTX-PRO-4000-Blackwell-24GB',
    aliases: ['rtx-pro-4000', 'rtxpro4000', 'rtx-pro-4000-blackwell', 'NVIDIA RTX PRO 4000 Blackwell'],
    name: 'NVIDIA RTX PRO 4000 Blackwell 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.73,
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 672,
    tflops: { bf16: 187.6, fp16: 187.6, fp8: 375.2, fp32: 46.9 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 145,
    memorySource: 'sibling',
    source:
      "GB203 (70 SMs at 2.617 GHz boost; 24 GB GDDR7 with ECC on 192 bits, 672 GB/s; 140 or 145 W by source; PCIe 5.0 x16, single slot), spec pages; tensor rates as the RTX PRO 6000 entry (pro card, full rate): bf16 70 × 2.617 GHz × 1024 = 187.6 dense, fp8 375.2, fp32 46.9 (computed from a third-party boost clock; NVIDIA's own AI TOPS figure was not found to check it against). nvidia-smi shows 24467 MiB (four sources, one a vLLM 0.19 host); no CUDA total was found, so the RTX PRO 6000's ratio of CUDA total to nvidia-smi total (94.97 GiB of 97887 MiB) is taken: 23.73 GiB. The SFF card (70 W, 432 GB/s) is another part",
  }),
  gpu({
    id: 'RTX-4070-Laptop-8GB',
    aliases: ['rtx-4070-laptop', 'rtx4070-laptop', '4070-laptop', 'NVIDIA GeForce RTX 4070 Laptop GPU'],
    name: 'NVIDIA GeForce RTX 4070 Laptop GPU 8GB',
    vendor: 'nvidia',
    memoryGiB: 7.78,
    nominalMemoryGB: 8,
    memoryBandwidthGBps: 256,
    tflops: { bf16: 40.1, fp16: 40.1, fp8: 80.2, fp32: 20 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 115,
    memorySource: 'sibling',
    source:
      'AD106 (36 SMs; boost 1.23 GHz at 35 W to 2.175 GHz at 115 W, set by the laptop; 8 GB GDDR6 on 128 bits, 256 GB/s), notebook spec pages; the Ada whitepaper rate scaled by SMs × clock at the 115 W boost: fp16/bf16 with fp32 accumulate 40.1 dense, fp8 80.2, fp32 20 (computed; a 35 W laptop runs at about 57 %). nvidia-smi shows 8188 MiB; no CUDA total was found, so that of other 8 GB cards (7.78 GiB) is taken',
  }),
  gpu({
    id: 'RTX-4050-Laptop-6GB',
    aliases: ['rtx-4050-laptop', 'rtx4050-laptop', '4050-laptop', 'NVIDIA GeForce RTX 4050 Laptop GPU'],
    name: 'NVIDIA GeForce RTX 4050 Laptop GPU 6GB',
    vendor: 'nvidia',
    memoryGiB: 5.79,
    nominalMemoryGB: 6,
    memoryBandwidthGBps: 192,
    tflops: { bf16: 24.3, fp16: 24.3, fp8: 48.5, fp32: 12.1 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 115,
    memorySource: 'sibling',
    source:
      'AD107 (20 SMs; boost 1.605 GHz at 35 W to 2.37 GHz at 115 W, set by the laptop; 6 GB GDDR6 on 96 bits, 192 GB/s; PCIe 4.0 x8), notebook spec pages; the Ada whitepaper rate scaled by SMs × clock at the 115 W boost: fp16/bf16 with fp32 accumulate 24.3 dense, fp8 48.5, fp32 12.1 (computed). nvidia-smi shows 6141 MiB; no CUDA total was found, so that of another 6 GB card (5.79 GiB) is taken',
  }),
  gpu({
    id: 'Jetson-Thor-128GB',
    aliases: ['jetson-thor', 'jetson-agx-thor', 'agx-thor', 'thor', 'Jetson-Thor', 'NVIDIA Thor'],
    name: 'NVIDIA Jetson AGX Thor (T5000, unified memory)',
    vendor: 'nvidia',
    memoryGiB: 122.82,
    unifiedMemory: true,
    nominalMemoryGB: 128,
    memoryBandwidthGBps: 273,
    tflops: { bf16: 258.5, fp16: 258.5, fp8: 517, fp32: 8.1 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 130,
    memorySource: 'reading',
    source:
      "Jetson AGX Thor developer kit (T5000: Blackwell GPU, 20 SMs, compute capability 11.0; 128 GB LPDDR5X unified with the 14-core Arm CPU, 273 GB/s; 40 to 130 W; 2,070 TFLOPS fp4 with sparsity), NVIDIA and press pages; bf16 258.5 dense as Hugging Face's hardware page gives it, fp8 517 as quoted, fp32 about 8.1 (computed; the GPU clock not confirmed). vLLM prints 122.82 GiB total in four published logs (NVIDIA's GTC workshop among them), the host's MemTotal, as on GB10; NVML reports no framebuffer memory",
  }),
  gpu({
    id: 'RTX-PRO-6000-96GB',
    aliases: ['rtx-pro-6000', 'rtxpro6000', 'rtx-pro-6000-blackwell', 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'NVIDIA RTX PRO 6000 Blackwell Server Edition', 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition'],
    name: 'NVIDIA RTX PRO 6000 Blackwell 96GB',
    vendor: 'nvidia',
    memoryGiB: 94.97,
    nominalMemoryGB: 96,
    memoryBandwidthGBps: 1792,
    tflops: { bf16: 500, fp16: 500, fp8: 1000, fp32: 125 },
    intraNodeLink: 'pcie5',
    pcieGen: 5,
    tdpW: 600,
    memorySource: 'reading',
    source:
      'NVIDIA RTX PRO 6000 Blackwell datasheet (96 GB GDDR7 with ECC, 1,792 GB/s, 125 TFLOPS fp32, 4,000 fp4 AI TOPS sparse → fp4 2,000 dense, fp8 1,000, fp16/bf16 500 with fp32 accumulate at full rate on the professional cards; 600 W Workstation and Server, 300 W Max-Q; PCIe 5, no NVLink); CUDA reports 94.97 GiB total (101,972,967,424 bytes; nvidia-smi 97,887 MiB) on the Workstation and Max-Q editions',
  }),
  gpu({
    id: 'RTX-A6000-48GB',
    aliases: ['rtx-a6000', 'a6000', 'NVIDIA RTX A6000'],
    name: 'NVIDIA RTX A6000 48GB',
    vendor: 'nvidia',
    memoryGiB: 47.4,
    nominalMemoryGB: 48,
    ecc: 'off',
    memoryBandwidthGBps: 768,
    tflops: { bf16: 154.8, fp16: 154.8, fp32: 38.7 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    memorySource: 'rule',
    source: 'NVIDIA RTX A6000 datasheet (768 GB/s, 300 W, NVLink bridge for 2 cards 112.5 GB/s bidirectional); tensor fp16/bf16 154.8 dense (Microway Ampere comparison); usable GiB: ECC off by default, 49140 MiB less the ~0.6 GiB PyTorch reserve (rule)',
  }),
  gpu({
    id: 'RTX-6000-Ada-48GB',
    aliases: ['rtx-6000-ada', 'rtx6000-ada', 'NVIDIA RTX 6000 Ada Generation'],
    name: 'NVIDIA RTX 6000 Ada Generation 48GB',
    vendor: 'nvidia',
    memoryGiB: 44.43,
    nominalMemoryGB: 48,
    ecc: 'on',
    memoryBandwidthGBps: 960,
    tflops: { bf16: 364.2, fp16: 364.2, fp8: 728.5, fp32: 91.1 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    memorySource: 'reading',
    source:
      'NVIDIA RTX 6000 Ada datasheet (960 GB/s, 91.1 TFLOPS fp32, fp8 1,457 TFLOPS sparse → 728.5 dense, bf16 half that), 300 W; PyTorch reports 44.43 GiB with ECC on (nvidia-smi 46068 MiB; MTVCrafter issue #21); ECC on is taken as the default from that reading alone: published starts with it off read 47.4 GiB (nvidia-smi 49140 MiB), so which mode a given card ships in is not established (nodes.gpu.ecc says it)',
  }),
  gpu({
    id: 'L40-48GB',
    aliases: ['l40', 'NVIDIA L40'],
    name: 'NVIDIA L40 48GB',
    vendor: 'nvidia',
    memoryGiB: 44.4,
    nominalMemoryGB: 48,
    ecc: 'on',
    memoryBandwidthGBps: 864,
    tflops: { bf16: 181.05, fp16: 181.05, fp8: 362, fp32: 90.5 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    memorySource: 'reading',
    source: 'NVIDIA L40 datasheet (bf16 181.05 dense / 362.1 sparse, fp8 362 / 724, 864 GB/s, 300 W, PCIe 4 only); PyTorch reports 44.40 GiB total (Qwen3-VL issue #2097)',
  }),
  // Workstation and inference cards people run vLLM on (issue 12: "any GPU"). Tensor rates are dense
  // (the datasheets' sparse figures halved); workstation Ampere runs fp16/bf16 with fp32 accumulate at the
  // full tensor rate, GeForce cards at half of the fp16-accumulate rate.
  gpu({
    id: 'RTX-A5000-24GB',
    aliases: ['a5000', 'rtx-a5000', 'rtxa5000', 'NVIDIA RTX A5000'],
    name: 'NVIDIA RTX A5000 24GB',
    vendor: 'nvidia',
    memoryGiB: 23.68,
    nominalMemoryGB: 24,
    ecc: 'off',
    memoryBandwidthGBps: 768,
    tflops: { bf16: 111.1, fp16: 111.1, fp32: 27.8 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 230,
    memorySource: 'rule',
    source: 'NVIDIA RTX A5000 datasheet (GA102, 8192 CUDA cores; single precision 27.8 TFLOPS, tensor 222.2 TFLOPS sparse → 111.1 dense; 24 GB GDDR6 with ECC, 768 GB/s, 230 W, PCIe 4.0, NVLink bridge for 2 cards); usable GiB: ECC off by default, 24564 MiB less the ~0.3 GiB PyTorch reserve (rule)',
  }),
  gpu({
    id: 'RTX-A4000-16GB',
    aliases: ['a4000', 'rtx-a4000', 'rtxa4000', 'NVIDIA RTX A4000'],
    name: 'NVIDIA RTX A4000 16GB',
    vendor: 'nvidia',
    memoryGiB: 15.72,
    nominalMemoryGB: 16,
    ecc: 'off',
    memoryBandwidthGBps: 448,
    tflops: { bf16: 76.7, fp16: 76.7, fp32: 19.2 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 140,
    memorySource: 'rule',
    source: 'NVIDIA RTX A4000 datasheet (GA104, 6144 CUDA cores; single precision 19.2 TFLOPS, tensor 153.4 TFLOPS sparse → 76.7 dense; 16 GB GDDR6 with ECC, 448 GB/s, 140 W, PCIe 4.0); usable GiB: ECC off by default, 16376 MiB less the ~0.27 GiB PyTorch reserve (rule)',
  }),
  gpu({
    id: 'RTX-4080-16GB',
    aliases: ['rtx4080', '4080', 'rtx-4080', 'NVIDIA GeForce RTX 4080'],
    name: 'NVIDIA GeForce RTX 4080 16GB',
    vendor: 'nvidia',
    memoryGiB: 15.99,
    nominalMemoryGB: 16,
    memoryBandwidthGBps: 716.8,
    tflops: { bf16: 97.5, fp16: 97.5, fp8: 194.9, fp32: 48.7 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 320,
    memorySource: 'reading',
    source: 'NVIDIA Ada Lovelace architecture whitepaper, RTX 4080 column (76 SMs at 2.505 GHz boost; fp16/bf16 tensor with fp32 accumulate 97.5 dense, fp8 194.9 dense, fp32 48.7; 716.8 GB/s GDDR6X; 320 W); vLLM prints a 15.99 GiB device total (bench KV1-12 log)',
  }),
  gpu({
    id: 'T4-16GB',
    aliases: ['t4', 'tesla-t4', 'nvidia-tesla-t4', 'Tesla T4'],
    name: 'NVIDIA T4 16GB',
    vendor: 'nvidia',
    memoryGiB: 14.75,
    nominalMemoryGB: 16,
    ecc: 'on',
    memoryBandwidthGBps: 320,
    tflops: { fp16: 65, fp32: 8.1 },
    intraNodeLink: 'pcie3',
    pcieGen: 3,
    tdpW: 70,
    memorySource: 'reading',
    source: 'NVIDIA T4 datasheet (Turing: mixed-precision fp16/fp32 tensor 65 TFLOPS, fp32 8.1, no bf16; 16 GB GDDR6 with ECC on, 320 GB/s, 70 W, PCIe 3.0); PyTorch OOM messages on T4 report 14.75 GiB total capacity',
  }),
  gpu({
    id: 'A30-24GB',
    aliases: ['a30', 'nvidia-a30', 'NVIDIA A30'],
    name: 'NVIDIA A30 24GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(24, 'hbm'),
    nominalMemoryGB: 24,
    memoryBandwidthGBps: 933,
    tflops: { bf16: 165, fp16: 165, fp32: 10.3 },
    nvlink: { generation: 3, gbpsPerGpu: 100 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 165,
    memorySource: 'rule',
    source: 'NVIDIA A30 datasheet (bf16/fp16 tensor 165 TFLOPS dense, 330 sparse; fp32 10.3; 24 GB HBM2, 933 GB/s, 165 W, PCIe 4.0; NVLink bridge 200 GB/s bidirectional between two cards); usable GiB by the HBM rule',
  }),
  gpu({
    id: 'L20-48GB',
    aliases: ['l20', 'nvidia-l20', 'NVIDIA L20'],
    name: 'NVIDIA L20 48GB',
    vendor: 'nvidia',
    memoryGiB: usableGiB(48, 'gddr-ecc'),
    nominalMemoryGB: 48,
    ecc: 'on',
    memoryBandwidthGBps: 864,
    tflops: { bf16: 119.5, fp16: 119.5, fp8: 239, fp32: 59.8 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 275,
    memorySource: 'rule',
    source: 'NVIDIA L20 datasheet (AD102; fp16/bf16 tensor 119.5 TFLOPS dense, fp8 239 dense, fp32 59.8; 48 GB GDDR6 with ECC, 864 GB/s, 275 W, PCIe 4.0); usable GiB by the GDDR-with-ECC rule (ECC on by default taken as on the L40S, not read from an L20)',
  }),
  gpu({
    id: 'A10-24GB',
    aliases: ['a10', 'NVIDIA A10'],
    name: 'NVIDIA A10 24GB',
    vendor: 'nvidia',
    memoryGiB: 21.89,
    nominalMemoryGB: 24,
    ecc: 'on',
    memoryBandwidthGBps: 600,
    tflops: { bf16: 125, fp16: 125, fp32: 31.2 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 150,
    memorySource: 'rule',
    source: 'NVIDIA A10 datasheet (bf16 tensor 125 dense / 250 sparse, 600 GB/s GDDR6, 150 W); nvidia-smi 23028 MiB with ECC on (Qwen issue #678); usable GiB by the ECC rule',
  }),
  gpu({
    id: 'A40-48GB',
    aliases: ['a40', 'NVIDIA A40'],
    name: 'NVIDIA A40 48GB',
    vendor: 'nvidia',
    memoryGiB: 44.4,
    nominalMemoryGB: 48,
    ecc: 'on',
    memoryBandwidthGBps: 696,
    tflops: { bf16: 149.7, fp16: 149.7, fp32: 37.4 },
    intraNodeLink: 'pcie4',
    pcieGen: 4,
    tdpW: 300,
    memorySource: 'rule',
    source: 'NVIDIA A40 datasheet (bf16 tensor with fp32 accumulate 149.7 dense / 299.4 sparse, 696 GB/s, NVLink bridge 112.5 GB/s bidirectional for pairs, 300 W); usable GiB by the ECC rule (same 46068 MiB as L40)',
  }),
  gpu({
    id: 'H20-96GB',
    aliases: ['h20', 'NVIDIA H20'],
    name: 'NVIDIA H20 96GB',
    vendor: 'nvidia',
    memoryGiB: 95.04,
    nominalMemoryGB: 96,
    memoryBandwidthGBps: 4000,
    tflops: { bf16: 148, fp16: 148, fp8: 296, fp32: 44 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 400,
    memorySource: 'rule',
    source: 'NVIDIA H20 product brief as reported (96 GB HBM3, 4.0 TB/s, fp16/bf16 148 dense, int8/fp8 296, fp32 44, NVLink 900 GB/s bidirectional, 400 W); usable GiB by the HBM rule',
  }),
  gpu({
    id: 'H800-SXM-80GB',
    aliases: ['h800', 'h800-sxm', 'NVIDIA H800'],
    name: 'NVIDIA H800 SXM 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.19,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 3350,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 200 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 700,
    memorySource: 'reading',
    source: `${NV_H100}: the H800 is the same GH100 part with NVLink cut to 400 GB/s bidirectional (200 per direction) and FP64 cut; memory as the H100 80GB`,
  }),
  gpu({
    id: 'A800-SXM-80GB',
    aliases: ['a800', 'a800-sxm', 'a800-80gb', 'NVIDIA A800-SXM4-80GB'],
    name: 'NVIDIA A800 SXM 80GB',
    vendor: 'nvidia',
    memoryGiB: 79.15,
    nominalMemoryGB: 80,
    memoryBandwidthGBps: 2039,
    tflops: { bf16: 312, fp16: 312, fp32: 19.5 },
    nvlink: { generation: 3, gbpsPerGpu: 200 },
    intraNodeLink: 'nvlink3',
    pcieGen: 4,
    tdpW: 400,
    memorySource: 'reading',
    source: `${NV_A100}: the A800 is the A100 with NVLink cut to 400 GB/s bidirectional (200 per direction); memory as the A100 80GB`,
  }),
  gpu({
    id: 'GH200-96GB',
    aliases: ['gh200', 'gh200-96gb', 'NVIDIA GH200 480GB'],
    name: 'NVIDIA GH200 Grace Hopper (96GB HBM3 GPU)',
    vendor: 'nvidia',
    memoryGiB: 95.04,
    nominalMemoryGB: 96,
    memoryBandwidthGBps: 4000,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 1000,
    memorySource: 'rule',
    source: 'NVIDIA GH200 Grace Hopper Superchip datasheet (H100 compute: 989 TFLOPS bf16 / 1,979 fp8 dense; 96 GB HBM3 at 4 TB/s; NVLink 900 GB/s bidirectional; module 450–1000 W); the Grace LPDDR5X is not counted; usable GiB by the HBM rule',
  }),
  gpu({
    id: 'GH200-144GB',
    aliases: ['gh200-144gb', 'gh200-hbm3e', 'NVIDIA GH200 144GB HBM3e'],
    name: 'NVIDIA GH200 Grace Hopper (144GB HBM3e GPU)',
    vendor: 'nvidia',
    memoryGiB: 142.56,
    nominalMemoryGB: 144,
    memoryBandwidthGBps: 4900,
    tflops: { bf16: 989.5, fp16: 989.5, fp8: 1979, fp32: 67 },
    nvlink: { generation: 4, gbpsPerGpu: 450 },
    intraNodeLink: 'nvlink4',
    pcieGen: 5,
    tdpW: 1000,
    memorySource: 'rule',
    source: 'NVIDIA GH200 datasheet, HBM3e variant (144 GB at 4.9 TB/s; compute as H100); usable GiB by the HBM rule',
  }),
  gpu({
    id: 'B300-288GB',
    aliases: ['b300', 'blackwell-ultra', 'NVIDIA B300'],
    name: 'NVIDIA B300 (Blackwell Ultra) 288GB',
    vendor: 'nvidia',
    memoryGiB: 267.93,
    nominalMemoryGB: 288,
    memoryBandwidthGBps: 8000,
    tflops: { bf16: 2250, fp16: 2250, fp8: 4500, fp32: 75 },
    nvlink: { generation: 5, gbpsPerGpu: 900 },
    intraNodeLink: 'nvlink5',
    pcieGen: 5,
    tdpW: 1100,
    memorySource: 'reading',
    source:
      'NVIDIA HGX B300 datasheet as tabulated by glennklockwood.com/garden/processors/B300 (dense bf16 2,250, fp8 4,500, fp32 75; 288 GB HBM3e, 8 TB/s; NVLink 5 1.8 TB/s bidirectional); memory: nvidia-smi "NVIDIA B300 SXM6 AC … 275040MiB" (268.59 GiB) in several public setup notes, less the 0.66 GiB by which the B200 entry\'s usable figure sits below its nvidia-smi total (the HBM rule, 0.99 × 288, had given 285.12: the 288 GB is not the usable GiB)',
  }),
  gpu({
    id: 'MI250X-GCD-64GB',
    aliases: ['mi250x', 'mi250x-gcd', 'AMD Instinct MI250X'],
    name: 'AMD Instinct MI250X, one GCD (64GB)',
    vendor: 'amd',
    memoryGiB: 63.81,
    nominalMemoryGB: 64,
    memoryBandwidthGBps: 1600,
    tflops: { bf16: 191.5, fp16: 191.5, fp32: 23.95 },
    intraNodeLink: 'infinity-fabric',
    pcieGen: 4,
    tdpW: 280,
    memorySource: 'rule',
    source:
      "AMD Instinct MI250X datasheet (per OAM: 383 TFLOPS fp16/bf16, 47.9 fp32 vector, 128 GB HBM2e at 3.2 TB/s, 560 W); ROCm shows each of the two GCDs as its own GPU, so one GPU here is half a module; usable GiB by the AMD rule; intra-node link: the MI300X's Infinity Fabric figures (an assumption: an MI250X node links its eight GCDs unevenly, 4 links between the two GCDs of a module, fewer between modules, so collectives over all eight are likely slower)",
  }),
  gpu({
    id: 'MI355X-288GB',
    aliases: ['mi355x', 'AMD Instinct MI355X'],
    name: 'AMD Instinct MI355X 288GB',
    vendor: 'amd',
    memoryGiB: 287.14,
    nominalMemoryGB: 288,
    memoryBandwidthGBps: 8000,
    tflops: { bf16: 2516.6, fp16: 2516.6, fp8: 5033.2, fp32: 157.3 },
    intraNodeLink: 'infinity-fabric',
    pcieGen: 5,
    tdpW: 1400,
    memorySource: 'rule',
    source:
      'AMD Instinct MI355X datasheet (dense fp16/bf16 2.5 PF, fp8 5.0 PF — "five petaflops" FP8 per the ISSCC 2026 paper; 288 GB HBM3E at 8 TB/s; 1,400 W liquid-cooled); usable GiB by the AMD rule; intra-node link: the MI300X\'s Infinity Fabric figures (an assumption: the MI355X\'s links are faster, so collectives are likely quicker than estimated)',
  }),
  gpu({
    id: 'Gaudi3-128GB',
    aliases: ['gaudi3', 'gaudi-3', 'hl-325l', 'Intel Gaudi 3'],
    name: 'Intel Gaudi 3 128GB',
    vendor: 'intel',
    memoryGiB: 126.72,
    nominalMemoryGB: 128,
    memoryBandwidthGBps: 3700,
    tflops: { bf16: 1835, fp16: 1835, fp8: 1835, fp32: 28.7 },
    intraNodeLink: 'gaudi-roce',
    pcieGen: 5,
    tdpW: 900,
    memorySource: 'rule',
    source: 'Intel Gaudi 3 white paper (MME 1,835 TFLOPS bf16 and fp8, vector bf16 28.7 TFLOPS used for fp32; 128 GB HBM2e at 3.7 TB/s; 24 × 200 GbE RoCE, 21 of them for the 8-card all-to-all; 900 W OAM); usable GiB by the HBM rule',
  }),
];

function normalize(s: string): string {
  return s.toLowerCase().replace(/[\s_]+/g, '-');
}

const GPU_INDEX = new Map<string, GpuInfo>();
for (const g of GPUS) for (const k of [g.id, ...g.aliases]) GPU_INDEX.set(normalize(k), g);

export function findGpu(idOrAlias: string): GpuInfo | undefined {
  if (typeof idOrAlias !== 'string') return undefined;
  return GPU_INDEX.get(normalize(idOrAlias));
}

export const GPU_IDS: readonly string[] = GPUS.map((g) => g.id);

/** The catalog GPU a name the catalog does not know was probably meant to be (a slip of an id or alias), if any. */
export function nearestGpu(name: string): GpuInfo | undefined {
  const guess = nearest(name, [...GPU_IDS, ...GPUS.flatMap((g) => g.aliases)]);
  const g = guess ? findGpu(guess) : undefined;
  return g && !conflicts(name, g) ? g : undefined;
}

/** Runs of three or more digits in a name (model numbers: 4090, 8000, 100, 141), in order. */
function digitRuns(s: string): string[] {
  const runs: string[] = [];
  let cur = '';
  for (const c of `${s} `) {
    if (c >= '0' && c <= '9') cur += c;
    else {
      if (cur.length >= 3) runs.push(cur);
      cur = '';
    }
  }
  return runs;
}

/**
 * A near name that names another card: a model number the card lacks (Quadro RTX 8000 is no Quadro RTX 6000), or a
 * laptop part for a desktop one or the other way round (an RTX 4070 is no RTX 4070 Laptop GPU). No "did you mean" then.
 */
function conflicts(name: string, g: GpuInfo): boolean {
  const lower = name.toLowerCase();
  const laptop = lower.includes('laptop') || lower.includes('mobile');
  if (laptop !== g.id.toLowerCase().includes('laptop')) return true;
  const own = new Set([...digitRuns(g.id), ...g.aliases.flatMap(digitRuns)]);
  return digitRuns(name).some((r) => !own.has(r));
}

/**
 * The CUDA compute capability (major × 10 + minor) of an NVIDIA GPU, by its product line; undefined for
 * other vendors. Engines pick kernels by it (vLLM's mxfp4 MoE backend: core/estimate/serving.ts).
 */
export function cudaCapability(g: GpuInfo): number | undefined {
  if (g.vendor !== 'nvidia') return undefined;
  const id = g.id.toLowerCase();
  const starts = (...p: string[]) => p.some((x) => id.startsWith(x));
  if (starts('rtx-5000-ada')) return 89;
  if (starts('rtx-pro-4000')) return 120;
  if (starts('quadro-rtx')) return 75;
  if (starts('jetson-thor')) return 110;
  if (starts('h100', 'h200', 'h800', 'h20-', 'gh200')) return 90;
  if (starts('b200', 'b300', 'gb200', 'gb300')) return 100;
  if (starts('rtx-5', 'rtx-pro-6000')) return 120;
  if (starts('gb10-')) return 121;
  if (starts('l4-', 'l40', 'l20-', 'rtx-40', 'rtx-6000-ada')) return 89;
  if (starts('a100', 'a800', 'a30-')) return 80;
  if (starts('a10', 'a40', 'rtx-30', 'rtx-a')) return 86;
  if (starts('t4-')) return 75;
  if (starts('v100')) return 70;
  return undefined;
}

/** Peak dense TFLOPS for a compute dtype, falling back to fp16 where the GPU lacks bf16/fp8 units. */
export function peakTflops(g: GpuInfo, dtype: 'bf16' | 'fp16' | 'fp8' | 'fp32'): number {
  if (dtype === 'fp8') return g.tflops.fp8 ?? g.tflops.bf16 ?? g.tflops.fp16;
  if (dtype === 'bf16') return g.tflops.bf16 ?? g.tflops.fp16;
  if (dtype === 'fp16') return g.tflops.fp16;
  return g.tflops.fp32;
}

/** Every card a loose name (`A100`, `H100 SXM`) could mean: those whose id holds all its words. */
export function gpuCandidates(name: string): GpuInfo[] {
  const words = normalize(name).split('-').filter(Boolean);
  return GPUS.filter((g) => {
    const id = normalize(g.id).split('-');
    return words.every((w) => id.includes(w));
  });
}

/** For a name that resolves but could mean several cards: the card assumed and the alternatives. */
export function gpuGuess(name: string): { assumed: GpuInfo; alternatives: GpuInfo[] } | undefined {
  const assumed = findGpu(name);
  if (!assumed || normalize(name) === normalize(assumed.id)) return undefined;
  const alternatives = gpuCandidates(name).filter((g) => g !== assumed);
  return alternatives.length ? { assumed, alternatives } : undefined;
}
