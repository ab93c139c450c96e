// A run's GPU samples folded as they arrive (the run controller feeds it each batch): the peak device
// memory, the smallest framebuffer total of one GPU, mean utilization and SM activity, for the
// outcome kept beside the run (core/logs/versus.ts TelemetryPeak).
import type { TelemetryPeak } from '../logs/versus';
import type { DcgmSample } from './dcgm';

/** Peak device memory and mean activity of one run's GPUs over its samples. */
export class PeakTracker {
  private maxMiB = 0;
  /** The smallest framebuffer total of one GPU seen (an aggregate point of several GPUs is not one card's). */
  private totalMiB = 0;
  private utilSum = 0;
  private utilN = 0;
  private smSum = 0;
  private smN = 0;
  private samples = 0;
  /** Each series seen, and how many GPUs it stands for (an aggregate of a host counts its GPUs). */
  private readonly gpus = new Map<string, number>();

  /** The source that gave this run's samples, when it was not the panel's current one. */
  private source?: string;

  add(p: Omit<DcgmSample, 'uuid'>, source?: string): void {
    this.samples++;
    if (source) this.source = source;
    this.gpus.set(`${p.host}/${p.gpu}`, p.gpus ?? 1);
    if (p.memUsedMiB !== undefined && p.memUsedMiB > this.maxMiB) this.maxMiB = p.memUsedMiB;
    if ((p.gpus ?? 1) === 1 && p.memTotalMiB !== undefined && p.memTotalMiB > 0 && (!this.totalMiB || p.memTotalMiB < this.totalMiB)) this.totalMiB = p.memTotalMiB;
    if (p.util !== undefined) {
      this.utilSum += p.util;
      this.utilN++;
    }
    if (p.smActivePct !== undefined) {
      this.smSum += p.smActivePct;
      this.smN++;
    }
  }

  result(source: string): TelemetryPeak | undefined {
    if (!this.samples || !this.maxMiB) return undefined;
    return {
      peakDeviceGiB: Math.round((this.maxMiB / 1024) * 100) / 100,
      ...(this.totalMiB ? { deviceTotalMiB: this.totalMiB } : {}),
      gpus: [...this.gpus.values()].reduce((a, b) => a + b, 0),
      samples: this.samples,
      ...(this.utilN ? { meanUtilPct: this.utilSum / this.utilN } : {}),
      ...(this.smN ? { meanSmActivePct: this.smSum / this.smN } : {}),
      source: this.source ?? source,
    };
  }
}
