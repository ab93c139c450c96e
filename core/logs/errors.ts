// Error detectors for "jump to first error": the lines a person looks for first when a GPU job dies.
// Each returns a kind and a short summary; the view marks the line and the panel jumps to it.

export type LogErrorKind = 'traceback' | 'cuda-oom' | 'nccl' | 'xid' | 'cuda-error';

export interface LogError {
  kind: LogErrorKind;
  summary: string;
}

const XID = /NVRM: Xid \((?:PCI:)?([0-9a-fA-F:.]+)\): (\d+)/;
const NCCL = /\bNCCL (?:error|WARN)|\bnccl(?:Internal|System|Invalid|Unhandled|Remote)Error\b|ProcessGroupNCCL.*(?:[Tt]imeout|[Ww]atchdog|error)|NCCL communicator was aborted/;
const OOM = /CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUDA error: out of memory|cudaErrorMemoryAllocation|RESOURCE_EXHAUSTED: Out of memory/;
const CUDA_ERR = /CUDA error: |CUBLAS_STATUS_\w+|cuDNN error|an illegal memory access was encountered|device-side assert triggered/;

// Xid codes that people search for most, after NVIDIA's Xid catalogue.
const XID_MEANING: Record<string, string> = {
  '13': 'graphics engine exception',
  '31': 'GPU memory page fault',
  '43': 'GPU stopped processing',
  '45': 'preemptive cleanup',
  '48': 'double-bit ECC error',
  '63': 'ECC page retirement',
  '64': 'ECC page retirement failure',
  '74': 'NVLink error',
  '79': 'GPU has fallen off the bus',
  '92': 'high single-bit ECC error rate',
  '94': 'contained ECC error',
  '95': 'uncontained ECC error',
  '119': 'GSP RPC timeout',
};

/** The error a line reports, if any. Cheap on ordinary lines: one character-class test gates the rest. */
export function detectError(line: string): LogError | undefined {
  if (!/Trace|CUDA|NCCL|nccl|Xid|OutOfMemory|CUBLAS|cuDNN|illegal memory|device-side|RESOURCE_EXHAUSTED/.test(line)) return undefined;
  if (line.includes('Traceback (most recent call last):')) return { kind: 'traceback', summary: 'Python traceback' };
  if (OOM.test(line)) return { kind: 'cuda-oom', summary: 'CUDA out of memory' };
  const x = XID.exec(line);
  if (x) return { kind: 'xid', summary: `Xid ${x[2]}${XID_MEANING[x[2]] ? ` (${XID_MEANING[x[2]]})` : ''} on ${x[1]}` };
  if (NCCL.test(line)) return { kind: 'nccl', summary: 'NCCL error' };
  if (CUDA_ERR.test(line)) return { kind: 'cuda-error', summary: 'CUDA error' };
  return undefined;
}
