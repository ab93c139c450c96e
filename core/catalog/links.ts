// Interconnect catalog. Bandwidths are GB/s per GPU in one direction. `effectiveBusGBps` is the
// bus bandwidth NCCL reaches on large messages (nccl-tests' busbw), which is what collective times
// are computed from: t = bytes × factor(n) / busbw, with the factors of nccl-tests'
// doc/PERFORMANCE.md (see `busBandwidthFactor`).

import type { InterNodeLinkType, IntraNodeLinkType } from '../spec/types';

export type LinkType = IntraNodeLinkType | Exclude<InterNodeLinkType, 'none'>;

export interface LinkInfo {
  type: LinkType;
  aliases: string[];
  name: string;
  scope: 'intra-node' | 'inter-node';
  /** Line rate per GPU, one direction, GB/s. For inter-node links: one NIC per GPU at `defaultGbpsPerGpu`. */
  nominalGBps: number;
  /** NCCL bus bandwidth reachable on large messages, GB/s per GPU. */
  effectiveBusGBps: number;
  /** Inter-node only: the default NIC rate per GPU in Gbit/s (spec: interconnect.interNode.gbpsPerGpu). */
  defaultGbpsPerGpu?: number;
  /** True where a fabric counts as fast enough for multi-node training (RDMA at ≥ 200 Gb/s per GPU). */
  fastFabric: boolean;
  source: string;
  summary: string;
}

function link(e: Omit<LinkInfo, 'summary'>): LinkInfo {
  const rate = e.defaultGbpsPerGpu ? `${e.defaultGbpsPerGpu} Gb/s per GPU, ` : '';
  return { ...e, summary: `${e.name}: ${rate}${e.nominalGBps} GB/s line rate, ≈ ${e.effectiveBusGBps} GB/s NCCL busbw per GPU` };
}

/** Share of the line rate NCCL reaches on InfiniBand: NDR 400 Gb/s gives 46–48 GB/s per NIC (NVIDIA, nccl-tests #290). */
const IB_EFFICIENCY = 0.94;

export const LINKS: readonly LinkInfo[] = [
  link({
    type: 'nvlink2',
    aliases: ['nvlink-2', 'nvlink v2'],
    name: 'NVLink 2 (V100)',
    scope: 'intra-node',
    nominalGBps: 150,
    effectiveBusGBps: 120,
    fastFabric: true,
    source: 'NVIDIA V100 datasheet (300 GB/s bidirectional); ~20 % NCCL protocol overhead per NVIDIA (nccl-tests #212)',
  }),
  link({
    type: 'nvlink3',
    aliases: ['nvlink-3', 'nvlink v3'],
    name: 'NVLink 3 (A100, NVSwitch)',
    scope: 'intra-node',
    nominalGBps: 300,
    effectiveBusGBps: 230,
    fastFabric: true,
    source: 'NVIDIA A100 datasheet (600 GB/s bidirectional); measured all-reduce busbw 232.5 GB/s on 8×A100 (nccl-tests #175), ~200 GB/s (nccl-tests #149)',
  }),
  link({
    type: 'nvlink4',
    aliases: ['nvlink-4', 'nvlink v4', 'nvlink'],
    name: 'NVLink 4 (H100/H200, NVSwitch)',
    scope: 'intra-node',
    nominalGBps: 450,
    effectiveBusGBps: 370,
    fastFabric: true,
    source: 'NVIDIA (nccl-tests #212): "450GB/s is the line rate ... NCCL can get an effective NVLink bandwidth of 370GB/s"; all-reduce with NVLS reaches ~480 GB/s busbw',
  }),
  link({
    type: 'nvlink5',
    aliases: ['nvlink-5', 'nvlink v5'],
    name: 'NVLink 5 (B200/GB200)',
    scope: 'intra-node',
    nominalGBps: 900,
    effectiveBusGBps: 740,
    fastFabric: true,
    source: 'NVIDIA Blackwell datasheet (1.8 TB/s bidirectional); effective assumed at the NVLink4 ratio 370/450',
  }),
  link({
    type: 'pcie3',
    aliases: ['pcie-3', 'pcie gen3'],
    name: 'PCIe 3.0 x16',
    scope: 'intra-node',
    nominalGBps: 15.75,
    effectiveBusGBps: 11,
    fastFabric: false,
    source: 'PCI-SIG 8 GT/s × 16 lanes, 128b/130b; NCCL over PCIe typically reaches ~70 % (assumption)',
  }),
  link({
    type: 'pcie4',
    aliases: ['pcie-4', 'pcie gen4', 'pcie'],
    name: 'PCIe 4.0 x16',
    scope: 'intra-node',
    nominalGBps: 31.5,
    effectiveBusGBps: 22,
    fastFabric: false,
    source: 'PCI-SIG 16 GT/s × 16 lanes; NCCL over PCIe typically reaches ~70 % (assumption)',
  }),
  link({
    type: 'pcie5',
    aliases: ['pcie-5', 'pcie gen5'],
    name: 'PCIe 5.0 x16',
    scope: 'intra-node',
    nominalGBps: 63,
    effectiveBusGBps: 44,
    fastFabric: false,
    source: 'PCI-SIG 32 GT/s × 16 lanes; NCCL over PCIe typically reaches ~70 % (assumption)',
  }),
  link({
    type: 'infinity-fabric',
    aliases: ['xgmi', 'infinityfabric'],
    name: 'AMD Infinity Fabric (xGMI)',
    scope: 'intra-node',
    nominalGBps: 448,
    effectiveBusGBps: 310,
    fastFabric: true,
    source: "AMD MI300X datasheet: 7 links × 64 GB/s per direction; RCCL busbw assumed ~70 % of line rate. The MI325X has the same links; the MI250X's and MI355X's entries take these figures too (an assumption each entry's source states: the MI250X's GCDs link unevenly, the MI355X's links are faster)",
  }),
  link({
    type: 'gaudi-roce',
    aliases: ['gaudi', 'gaudi-scale-up'],
    name: 'Intel Gaudi 3 scale-up (21 × 200 GbE RoCE, all-to-all)',
    scope: 'intra-node',
    nominalGBps: 525,
    effectiveBusGBps: 370,
    fastFabric: true,
    source: 'Intel Gaudi 3 white paper: 21 of 24 × 200 GbE ports wire the 8 cards all-to-all (525 GB/s per direction); HCCL busbw assumed ~70 % of line rate, as for Infinity Fabric',
  }),
  link({
    type: 'infiniband-hdr',
    aliases: ['hdr', 'ib-hdr'],
    name: 'InfiniBand HDR 200 Gb/s',
    scope: 'inter-node',
    nominalGBps: 25,
    effectiveBusGBps: 24,
    defaultGbpsPerGpu: 200,
    fastFabric: true,
    source: 'NVIDIA (nccl #812): DGX-A100 with 8×200 Gb/s IB measures 192 GB/s all-reduce busbw = 24 GB/s per NIC',
  }),
  link({
    type: 'infiniband-ndr',
    aliases: ['ndr', 'ib-ndr', 'infiniband'],
    name: 'InfiniBand NDR 400 Gb/s',
    scope: 'inter-node',
    nominalGBps: 50,
    effectiveBusGBps: 47,
    defaultGbpsPerGpu: 400,
    fastFabric: true,
    source: 'NVIDIA (nccl-tests #290): "For NDR @ 400Gbps you should see 46-48GB/s per NIC"',
  }),
  link({
    type: 'infiniband-xdr',
    aliases: ['xdr', 'ib-xdr'],
    name: 'InfiniBand XDR 800 Gb/s',
    scope: 'inter-node',
    nominalGBps: 100,
    effectiveBusGBps: 100 * IB_EFFICIENCY,
    defaultGbpsPerGpu: 800,
    fastFabric: true,
    source: 'NVIDIA Quantum-X800 (800 Gb/s per port); efficiency assumed as NDR (47/50)',
  }),
  link({
    type: 'roce',
    aliases: ['rocev2', 'roce-v2'],
    name: 'RoCE v2 (400 Gb/s per GPU)',
    scope: 'inter-node',
    nominalGBps: 50,
    effectiveBusGBps: 37.5,
    defaultGbpsPerGpu: 400,
    fastFabric: true,
    source: 'nccl #495: 8×100 Gb/s RoCE reaches 600 Gb/s (75 % of line rate), "roughly matching our expectation" (NVIDIA)',
  }),
  link({
    type: 'efa',
    aliases: ['aws-efa', 'elastic-fabric-adapter'],
    name: 'AWS EFA (p5: 3200 Gb/s per node)',
    scope: 'inter-node',
    nominalGBps: 50,
    effectiveBusGBps: 37.5,
    defaultGbpsPerGpu: 400,
    fastFabric: true,
    source: 'AWS p5 instance documentation (3200 Gbps EFA per 8 GPUs); SRD efficiency assumed as RoCE (75 %)',
  }),
  link({
    type: 'ethernet',
    aliases: ['tcp', 'eth'],
    name: 'Ethernet, TCP sockets (100 Gb/s per node)',
    scope: 'inter-node',
    nominalGBps: 1.5625,
    effectiveBusGBps: 0.8,
    defaultGbpsPerGpu: 12.5,
    fastFabric: false,
    source: 'Assumption: one 100 Gb/s NIC per 8-GPU node, NCCL socket transport at ~50 % of line rate',
  }),
];

const LINK_INDEX = new Map<string, LinkInfo>();
for (const l of LINKS) for (const k of [l.type, ...l.aliases]) LINK_INDEX.set(k.toLowerCase(), l);

export function findLink(type: string): LinkInfo | undefined {
  if (typeof type !== 'string') return undefined;
  return LINK_INDEX.get(type.toLowerCase().trim());
}

export const LINK_TYPES: readonly LinkType[] = LINKS.map((l) => l.type);

export type Collective = 'all-reduce' | 'reduce-scatter' | 'all-gather' | 'all-to-all' | 'broadcast' | 'p2p';

/**
 * nccl-tests doc/PERFORMANCE.md: busbw = algbw × factor, so a collective over an array of `bytes`
 * takes bytes × factor / busbw. All-reduce 2(n−1)/n; reduce-scatter, all-gather, all-to-all
 * (n−1)/n; broadcast and point-to-point 1.
 */
export function busBandwidthFactor(collective: Collective, ranks: number): number {
  const n = Math.max(1, Math.floor(ranks));
  if (n <= 1 && collective !== 'p2p' && collective !== 'broadcast') return 0;
  switch (collective) {
    case 'all-reduce':
      return (2 * (n - 1)) / n;
    case 'reduce-scatter':
    case 'all-gather':
    case 'all-to-all':
      return (n - 1) / n;
    case 'broadcast':
    case 'p2p':
      return 1;
  }
}

/** Seconds for one collective on an array of `bytes` (the full, unsharded size) over `ranks` ranks. */
export function collectiveSeconds(collective: Collective, bytes: number, ranks: number, busGBps: number): number {
  if (!(bytes > 0) || !(busGBps > 0)) return 0;
  return (bytes * busBandwidthFactor(collective, ranks)) / (busGBps * 1e9);
}
