// A small canvas line chart: several series over a shared x range, optional horizontal reference
// lines (the memory estimate), axes with a few ticks. Hand-written rather than a charting library
// because the panel needs only this, redraws at most once a second per chart, and stays at a few
// hundred lines with no dependency. Colours come from the VS Code theme's CSS variables.

export interface Series {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number | undefined>;
}

export interface RefLine {
  y: number;
  label: string;
  color: string;
}

export interface ChartSpec {
  title: string;
  unit: string;
  series: Series[];
  xMin: number;
  xMax: number;
  /** 'time': x is epoch ms (ticks as clock times); 'step': plain numbers. */
  xKind: 'time' | 'step';
  yMin?: number;
  yMax?: number;
  refLines?: RefLine[];
  /** Shown over the plot area when there is nothing to draw. */
  empty?: string;
}

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  font: string;
}

export function readTheme(el: HTMLElement): Theme {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--vscode-foreground', '#ccc'),
    muted: v('--vscode-descriptionForeground', '#999'),
    grid: v('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    font: `${v('--vscode-font-size', '12px')} ${v('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Series colours: the theme's chart colours first, then a fixed palette for many GPUs. */
export function palette(el: HTMLElement): string[] {
  const cs = getComputedStyle(el);
  const theme = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((n) => cs.getPropertyValue(n).trim()).filter(Boolean);
  const extra = Array.from({ length: 58 }, (_, i) => `hsl(${(i * 137.5) % 360} 65% 55%)`);
  return [...(theme.length ? theme : ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700']), ...extra];
}

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 100 || v === Math.round(v)) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  if (a === 0) return '0';
  if (a < 0.01) return v.toExponential(1);
  return v.toPrecision(2);
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec, theme: Theme): void {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 300;
  const cssH = canvas.clientHeight || 140;
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';

  const left = 44;
  const right = 8;
  const top = 18;
  const bottom = 18;
  const w = cssW - left - right;
  const h = cssH - top - bottom;

  ctx.fillStyle = theme.fg;
  ctx.textAlign = 'left';
  ctx.fillText(`${spec.title}${spec.unit ? ` (${spec.unit})` : ''}`, 2, 8);

  let yMin = spec.yMin ?? Infinity;
  let yMax = spec.yMax ?? -Infinity;
  if (spec.yMin === undefined || spec.yMax === undefined) {
    for (const s of spec.series) {
      for (let i = 0; i < s.ys.length; i++) {
        const x = s.xs[i];
        const y = s.ys[i];
        if (y === undefined || !Number.isFinite(y) || x < spec.xMin || x > spec.xMax) continue;
        if (spec.yMin === undefined && y < yMin) yMin = y;
        if (spec.yMax === undefined && y > yMax) yMax = y;
      }
    }
    for (const r of spec.refLines ?? []) {
      if (spec.yMax === undefined) yMax = Math.max(yMax, r.y);
      if (spec.yMin === undefined) yMin = Math.min(yMin, r.y);
    }
  }
  if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.fillText(spec.empty ?? 'no data yet', left + w / 2, top + h / 2);
    return;
  }
  if (yMax === yMin) {
    yMax += Math.abs(yMax) * 0.1 || 1;
    yMin -= spec.yMin === undefined ? Math.abs(yMin) * 0.1 || 1 : 0;
  }
  const pad = (yMax - yMin) * 0.05;
  if (spec.yMax === undefined) yMax += pad;
  if (spec.yMin === undefined) yMin -= pad;
  const xSpan = spec.xMax - spec.xMin || 1;
  const X = (x: number) => left + ((x - spec.xMin) / xSpan) * w;
  const Y = (y: number) => top + h - ((y - yMin) / (yMax - yMin)) * h;

  // Grid and y labels.
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  const yStep = niceStep(yMax - yMin, 4);
  ctx.beginPath();
  for (let v = Math.ceil(yMin / yStep) * yStep; v <= yMax; v += yStep) {
    const y = Math.round(Y(v)) + 0.5;
    ctx.moveTo(left, y);
    ctx.lineTo(left + w, y);
    ctx.fillText(fmt(v), left - 4, y);
  }
  ctx.stroke();
  // x labels.
  ctx.textAlign = 'center';
  // As many x labels as fit: a clock time needs about 80 px.
  const xTicks = Math.max(1, Math.floor(w / (spec.xKind === 'time' ? 80 : 50)));
  const xStep = spec.xKind === 'time' ? niceTimeStep(xSpan, xTicks) : niceStep(xSpan, xTicks);
  for (let v = Math.ceil(spec.xMin / xStep) * xStep; v <= spec.xMax; v += xStep) {
    const label = spec.xKind === 'time' ? timeLabel(v, xStep) : fmt(v);
    ctx.fillText(label, X(v), top + h + 10);
  }

  // Series.
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, w, h);
  ctx.clip();
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  for (const s of spec.series) {
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < s.ys.length; i++) {
      const y = s.ys[i];
      if (y === undefined || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const px = X(s.xs[i]);
      const py = Y(y);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  }
  for (const r of spec.refLines ?? []) {
    const y = Math.round(Y(r.y)) + 0.5;
    ctx.strokeStyle = r.color;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + w, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = r.color;
    ctx.textAlign = 'right';
    ctx.fillText(r.label, left + w - 2, y - 7);
  }
  ctx.restore();
}

/** A tick step a person reads easily, from a second to a week, so a 30-day run gets a few day ticks. */
export function niceTimeStep(spanMs: number, maxTicks: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * 1000);
  return steps.find((s) => spanMs / s <= maxTicks) ?? Math.ceil(spanMs / maxTicks / 604_800_000) * 604_800_000;
}

/** Clock time for short steps; day and hour from 1 h steps; the date alone from a day. */
function timeLabel(v: number, stepMs: number): string {
  const d = new Date(v);
  if (stepMs >= 86_400_000) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  if (stepMs >= 3_600_000) return d.toLocaleString([], { day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: stepMs < 60_000 ? '2-digit' : undefined, hour12: false });
}
