// Training metrics from log lines. Recognised formats (each with a test line in
// test/unit/logs/metrics.test.ts):
//   HF Trainer:  {'loss': 2.3456, 'grad_norm': 1.2, 'learning_rate': 4.9e-05, 'epoch': 0.01}
//   Megatron:    iteration       10/  500000 | ... | learning rate: 1.500E-06 | ... | lm loss: 1.01E+01 | ...
//   torchtitan:  step: 10  loss:  7.9876  memory: 30.12GiB(38.05%)  tps: 5,432  tflops: 123.4  mfu: 12.3%
//   Lightning:   Epoch 0:  12%|█▏  | 120/1000 [00:10<01:20, 11.0it/s, v_num=0, train_loss=2.345]
//   plain:       step 10 loss 2.345 lr 1e-4 tokens/s 12345  (also `=` or `:` separators)
// plus a user pattern with named groups (?<step>…) (?<loss>…) (?<lr>…) (?<tokensPerSec>…).

export interface TrainingPoint {
  step?: number;
  loss?: number;
  lr?: number;
  tokensPerSec?: number;
}

const NUM = String.raw`[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf`;

const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const v = Number(s.replace(/,/g, ''));
  return Number.isFinite(v) ? v : s.toLowerCase() === 'nan' ? NaN : undefined;
};

const HF_KEY = new RegExp(String.raw`'(loss|train_loss|learning_rate|step|global_step|train_tokens_per_second|tokens_per_second)':\s*(${NUM})`, 'g');
const MEGATRON = /\biteration\s+(\d+)\s*\/\s*\d+\s*\|/;
const MEGATRON_LOSS = new RegExp(String.raw`\|\s*lm loss:\s*(${NUM})`);
const MEGATRON_LR = new RegExp(String.raw`\|\s*learning rate:\s*(${NUM})`);
const MEGATRON_TPS = new RegExp(String.raw`\|\s*(?:tokens per sec(?:ond)?(?: per GPU)?|throughput \(tokens/s\)):\s*(${NUM})`, 'i');
const LIGHTNING = /\|\s*(\d+)\/(\d+|\?) \[[^\]]*\]/;
const LIGHTNING_KV = new RegExp(String.raw`\b(train_loss(?:_step)?|loss|lr)=(${NUM})`, 'g');

// Generic key/value forms: `step 10`, `step: 10`, `step=10`, `iter 10`, `loss 2.3`, `lr 1e-4`, `tps: 5,432`.
const G_STEP = new RegExp(String.raw`\b(?:global_step|step|iter(?:ation)?)\s*[:=]?\s*(\d+)(?!\s*%)\b`, 'i');
const G_LOSS = new RegExp(String.raw`\b(?:train[_ ])?loss\s*[:=]?\s*(${NUM})`, 'i');
const G_LR = new RegExp(String.raw`\b(?:lr|learning[_ ]rate)\s*[:=]?\s*(${NUM})`, 'i');
const G_TPS = new RegExp(String.raw`\b(?:tokens/s(?:ec)?|tok/s|tps|tokens_per_sec(?:ond)?|throughput)\s*[:=]?\s*(${NUM})`, 'i');

export function compileMetricPattern(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** The metrics in one line, or undefined when it carries none (the common case: cheap to reject). */
export function parseTrainingLine(line: string, custom?: RegExp): TrainingPoint | undefined {
  if (custom) {
    const g = custom.exec(line)?.groups;
    if (g) return defined({ step: num(g.step), loss: num(g.loss), lr: num(g.lr), tokensPerSec: num(g.tokensPerSec) });
  }
  // Cheap gate: every format below has one of these words.
  if (!/loss|step|iter|lr|learning|tps|tokens/i.test(line)) return undefined;

  if (line.includes("'loss'") || line.includes("'learning_rate'") || line.includes("'train_loss'")) {
    const p: TrainingPoint = {};
    for (const m of line.matchAll(HF_KEY)) {
      const v = num(m[2]);
      if (m[1] === 'loss' || m[1] === 'train_loss') p.loss = v;
      else if (m[1] === 'learning_rate') p.lr = v;
      else if (m[1] === 'step' || m[1] === 'global_step') p.step = v;
      else p.tokensPerSec = v;
    }
    return defined(p);
  }
  const mg = MEGATRON.exec(line);
  if (mg) {
    return defined({ step: num(mg[1]), loss: num(MEGATRON_LOSS.exec(line)?.[1]), lr: num(MEGATRON_LR.exec(line)?.[1]), tokensPerSec: num(MEGATRON_TPS.exec(line)?.[1]) });
  }
  const lt = LIGHTNING.exec(line);
  if (lt && /it\/s|s\/it/.test(line)) {
    const p: TrainingPoint = { step: num(lt[1]) };
    for (const m of line.matchAll(LIGHTNING_KV)) {
      if (m[1] === 'lr') p.lr = num(m[2]);
      else p.loss = num(m[2]);
    }
    return p.loss !== undefined ? defined(p) : undefined;
  }
  const step = num(G_STEP.exec(line)?.[1]);
  const loss = num(G_LOSS.exec(line)?.[1]);
  if (step === undefined && loss === undefined) return undefined;
  // A bare "step 3" with no metric is a progress line, not a data point.
  if (loss === undefined && !G_TPS.test(line)) return undefined;
  return defined({ step, loss, lr: num(G_LR.exec(line)?.[1]), tokensPerSec: num(G_TPS.exec(line)?.[1]) });
}

function defined(p: TrainingPoint): TrainingPoint | undefined {
  const out: TrainingPoint = {};
  let any = false;
  for (const k of ['step', 'loss', 'lr', 'tokensPerSec'] as const) {
    if (p[k] !== undefined) {
      out[k] = p[k];
      if (k !== 'step') any = true;
    }
  }
  return any ? out : undefined;
}
