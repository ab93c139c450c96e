// Error detectors for "jump to first error": the lines a person looks for first when a GPU job dies.
// Each returns a kind and a short summary; the view marks the line and the panel jumps to it.

import { xidMeaning } from '../telemetry/xid';

export type LogErrorKind = 'traceback' | 'cuda-oom' | 'nccl' | 'xid' | 'cuda-error';

export interface LogError {
  kind: LogErrorKind;
  summary: string;
}

const XID = /NVRM: Xid \((?:PCI:)?([0-9a-fA-F:.]+)\): (\d+)/;
const NCCL = /\bNCCL (?:error|WARN)|\bnccl(?:Internal|System|Invalid|Unhandled|Remote)Error\b|ProcessGroupNCCL.*(?:[Tt]imeout|[Ww]atchdog|error)|NCCL communicator was aborted/;
const OOM = /CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUDA error: out of memory|cudaErrorMemoryAllocation|RESOURCE_EXHAUSTED: Out of memory/;
const CUDA_ERR = /CUDA error: |CUBLAS_STATUS_\w+|cuDNN error|an illegal memory access was encountered|device-side assert triggered/;

/** The error a line reports, if any. Cheap on ordinary lines: one character-class test gates the rest. */
export function detectError(line: string): LogError | undefined {
  if (!/Trace|CUDA|NCCL|nccl|Xid|OutOfMemory|CUBLAS|cuDNN|illegal memory|device-side|RESOURCE_EXHAUSTED/.test(line)) return undefined;
  if (line.includes('Traceback (most recent call last):')) return { kind: 'traceback', summary: 'Python traceback' };
  if (OOM.test(line)) return { kind: 'cuda-oom', summary: 'CUDA out of memory' };
  const x = XID.exec(line);
  if (x) {
    const meaning = xidMeaning(x[2]);
    return { kind: 'xid', summary: `Xid ${x[2]}${meaning ? ` (${meaning})` : ''} on ${x[1]}` };
  }
  if (NCCL.test(line)) return { kind: 'nccl', summary: 'NCCL error' };
  if (CUDA_ERR.test(line)) return { kind: 'cuda-error', summary: 'CUDA error' };
  return undefined;
}
