// What an NVIDIA XID code means, after NVIDIA's "Xid Errors" catalogue (docs.nvidia.com/deploy/xid-errors),
// for the codes people meet on training clusters. Shared by the log detector (kernel `NVRM: Xid`
// lines) and the DCGM source (DCGM_FI_DEV_XID_ERRORS).
const XID_MEANING: Readonly<Record<number, string>> = {
  13: 'graphics engine exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  45: 'preemptive cleanup',
  48: 'double-bit ECC error',
  61: 'internal micro-controller breakpoint',
  62: 'internal micro-controller halt',
  63: 'ECC page retirement',
  64: 'ECC page retirement failure',
  69: 'graphics engine class error',
  74: 'NVLink error',
  79: 'GPU has fallen off the bus',
  92: 'high single-bit ECC error rate',
  94: 'contained ECC error',
  95: 'uncontained ECC error',
  109: 'context switch timeout',
  119: 'GSP RPC timeout',
  120: 'GSP error',
};

export function xidMeaning(code: number | string): string | undefined {
  return XID_MEANING[Number(code)];
}
