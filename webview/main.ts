// The run panel's browser code: receives host messages, runs them through the reducer, and draws
// (at most once per animation frame). Views are plain DOM; the log view is virtualized and the
// charts are canvas. Everything the person can do has a button or a key.
import type { HostMessage, RunView, WebviewMessage } from '../protocol/webview';
import { filterLines, initialState, persisted, reduce, searchLines, visibleRuns, warmSearch, type PanelState, type PersistedState, type UiAction } from './state';
import { LogView } from './logView';
import { drawChart, palette, readTheme, type ChartSpec } from './chart';
import { compareChartSpecs, gpuChartModel } from './gpuCharts';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(s: PersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: PanelState = initialState(vscode.getState());
const post = (m: WebviewMessage) => vscode.postMessage(m);

// ---------------------------------------------------------------- DOM skeleton

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
document.body.innerHTML = `
<div class="layout">
  <aside class="runs" aria-label="Runs">
    <div class="runs-head">
      <label for="run-filter">Runs</label>
      <select id="run-filter" aria-label="Filter runs by state">
        ${['all', 'running', 'queued', 'pending', 'succeeded', 'failed', 'cancelled', 'timeout', 'lost'].map((s) => `<option value="${s}">${s}</option>`).join('')}
      </select>
    </div>
    <ul id="run-list" role="listbox" tabindex="0" aria-label="Runs"></ul>
  </aside>
  <main class="detail">
    <section id="compare" class="compare" aria-label="Compare runs" hidden>
      <div class="compare-head">
        <span class="run-title">Compare runs</span>
        <span id="compare-names" class="muted"></span>
        <span class="spacer"></span>
        <label class="check"><input id="compare-all" type="checkbox"> show unchanged keys</label>
        <button id="compare-close" title="Close the comparison (Escape)">Close</button>
      </div>
      <div id="compare-figures" class="compare-figures"></div>
      <div class="compare-table-host" tabindex="0" aria-label="Configuration, key by key"><table id="compare-table" class="compare-table"></table></div>
      <div class="chart-grid" id="compare-charts"></div>
    </section>
    <div class="run-head" id="run-head"></div>
    <section class="charts" aria-label="Metrics">
      <div class="chart-grid" id="train-charts"></div>
      <div class="charts-head">
        <span id="telemetry-label" class="telemetry-label"></span>
        <select id="gpu-host" aria-label="Show the GPUs of one host" hidden></select>
        <span id="gpu-legend" class="legend" aria-label="GPU colours"></span>
      </div>
      <div id="health" class="health" aria-label="GPU health events"></div>
      <div class="chart-grid" id="gpu-charts"></div>
    </section>
    <section class="logs" aria-label="Logs">
      <div class="log-toolbar">
        <button id="follow" aria-pressed="true" title="Follow the end of the log (End)">Follow</button>
        <input id="search" type="search" placeholder="Search log" aria-label="Search log">
        <button id="search-prev" title="Previous match (Shift+Enter)" aria-label="Previous match">↑</button>
        <button id="search-next" title="Next match (Enter)" aria-label="Next match">↓</button>
        <span id="search-count" class="muted" aria-live="polite"></span>
        <label class="check"><input id="only-matches" type="checkbox"> only matches</label>
        <select id="rank-filter" aria-label="Filter by rank"><option value="all">all ranks</option></select>
        <select id="stream-filter" aria-label="Filter by stream"><option value="all">stdout+stderr</option><option value="stdout">stdout</option><option value="stderr">stderr</option></select>
        <button id="first-error" title="Jump to the first error">First error</button>
        <button id="copy" title="Copy the lines in view">Copy</button>
        <button id="raw" title="Open the raw log file">Open raw</button>
        <span id="log-count" class="muted"></span>
      </div>
      <div id="marks" class="marks" aria-label="Errors found"></div>
      <div id="log-host" class="log-host"></div>
    </section>
  </main>
</div>`;

const logView = new LogView($('#log-host'));
logView.onFollowChange = (follow) => dispatch({ type: 'ui/logView', patch: { follow } });

// ---------------------------------------------------------------- dispatch and render

let frame = 0;
const dirty = { runs: true, head: true, log: true, charts: true, compare: true };
function dispatch(m: HostMessage | UiAction): void {
  const prev = state;
  state = reduce(state, m, Date.now());
  if (state.runs !== prev.runs || state.runFilter !== prev.runFilter || state.selectedId !== prev.selectedId) dirty.runs = dirty.head = true;
  if (state.log !== prev.log || state.logView !== prev.logView || state.log?.version !== logVersion) dirty.log = true;
  if (state.chartVersion !== prev.chartVersion || state.selectedId !== prev.selectedId || state.health !== prev.health) dirty.charts = true;
  if (state.compare !== prev.compare || state.compareAll !== prev.compareAll) dirty.compare = true;
  if (state.selectedId !== prev.selectedId || state.runFilter !== prev.runFilter || state.logView !== prev.logView || state.gpuHost !== prev.gpuHost) vscode.setState(persisted(state));
  if (!frame) frame = requestAnimationFrame(render);
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  dispatch(m);
});

const selected = (): RunView | undefined => state.runs.find((r) => r.id === state.selectedId);

function render(): void {
  frame = 0;
  if (dirty.runs) renderRuns();
  if (dirty.head) renderHead();
  if (dirty.log) renderLog();
  if (dirty.charts) renderCharts();
  if (dirty.compare) renderCompare();
  dirty.runs = dirty.head = dirty.log = dirty.charts = dirty.compare = false;
}

// ---------------------------------------------------------------- runs list and header

const fmtTime = (t?: number) => (t ? new Date(t).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '—');
function fmtDuration(r: RunView): string {
  if (!r.startedAt) return '—';
  const s = Math.round(((r.endedAt ?? Date.now()) - r.startedAt) / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
const badge = (state: string) => `<span class="badge state-${state}">${state}</span>`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const base = (p: string) => p.split(/[\\/]/).pop() ?? p;

function renderRuns(): void {
  ($('#run-filter') as HTMLSelectElement).value = state.runFilter;
  const list = $('#run-list');
  const runs = visibleRuns(state);
  list.innerHTML = runs.length
    ? runs
        .map(
          (r) => `<li role="option" id="run-${esc(r.id)}" data-id="${esc(r.id)}" aria-selected="${r.id === state.selectedId}" class="${r.id === state.selectedId ? 'selected' : ''}">
      <div class="run-line1"><span class="run-name">${esc(r.name)}</span>${badge(r.state)}</div>
      <div class="run-line2 muted">${esc(r.backend)} · ${fmtTime(r.startedAt ?? r.submittedAt)} · ${fmtDuration(r)}</div>
      <div class="run-line2 muted"><a href="#" data-open-spec="${esc(r.id)}" title="${esc(r.specFile)}">${esc(base(r.specFile))}</a></div>
    </li>`,
        )
        .join('')
    : `<li class="muted empty">No runs${state.runFilter === 'all' ? ' yet: use ▶ Run above a TrainingJob or InferenceService' : ` in state ${state.runFilter}`}.</li>`;
  if (state.selectedId) list.setAttribute('aria-activedescendant', `run-${state.selectedId}`);
}

function renderHead(): void {
  const r = selected();
  const head = $('#run-head');
  if (!r) {
    head.innerHTML = '<span class="muted">Select a run.</span>';
    return;
  }
  const live = r.state === 'running' || r.state === 'queued' || r.state === 'pending';
  head.innerHTML = `
    <span class="run-title">${esc(r.name)}</span> ${badge(r.state)}
    <span class="muted">${esc(r.kind)} on ${esc(r.backend)} · started ${fmtTime(r.startedAt)} · ${fmtDuration(r)}${r.reason ? ` · ${esc(r.reason)}` : ''}</span>
    ${r.outputHint ? `<span class="output-hint" role="note" title="${esc(r.outputHint)}">${esc(r.outputHint)}</span>` : ''}
    <span class="spacer"></span>
    <button id="open-spec" title="${esc(r.specFile)}">Open spec</button>
    <button id="cancel" ${live ? '' : 'disabled'}>Cancel</button>
    <button id="rerun">Re-run</button>
    <button id="compare-pick" title="Compare this run with another run of its spec">Compare…</button>
    ${r.summary?.length ? `<div class="run-summary" role="note" aria-label="Measured against the estimate">${r.summary.map((l) => `<div>${esc(l)}</div>`).join('')}</div>` : ''}`;
}

// ---------------------------------------------------------------- log

let logVersion = -1;
let rows: Int32Array | undefined;
let rowsKey = '';
let hits: Int32Array = new Int32Array(0);
let hitsKey = '';
let hitIndex = -1;

function renderLog(): void {
  const log = state.log;
  const v = state.logView;
  ($('#follow') as HTMLButtonElement).setAttribute('aria-pressed', String(v.follow));
  ($('#only-matches') as HTMLInputElement).checked = v.onlyMatches;
  ($('#stream-filter') as HTMLSelectElement).value = v.stream;
  const search = $('#search') as HTMLInputElement;
  if (document.activeElement !== search) search.value = v.search;
  const key = `${log?.runId}|${v.rank}|${v.stream}|${v.onlyMatches ? v.search : ''}`;
  if (!log) rows = undefined;
  else if (key !== rowsKey || log.version !== logVersion) rows = filterLines(log, v);
  rowsKey = key;
  const hk = `${log?.runId}|${v.search}|${key}`;
  if (log && (hk !== hitsKey || log.version !== logVersion)) {
    hits = searchLines(log, v.search, rows);
    if (hk !== hitsKey) hitIndex = -1;
  }
  hitsKey = hk;
  logVersion = log?.version ?? -1;
  warmInIdle();

  const rankSel = $('#rank-filter') as HTMLSelectElement;
  const ranks = log ? [...log.ranksSeen].sort((a, b) => a - b) : [];
  if (rankSel.options.length !== ranks.length + 1) rankSel.innerHTML = `<option value="all">all ranks</option>${ranks.map((r) => `<option value="${r}">rank ${r}</option>`).join('')}`;
  rankSel.value = String(v.rank);
  rankSel.disabled = ranks.length === 0;

  $('#search-count').textContent = v.search ? (hits.length ? `${hitIndex >= 0 ? hitIndex + 1 : 0}/${hits.length}` : 'no match') : '';
  $('#log-count').textContent = log ? `${(rows ? rows.length : log.length).toLocaleString()} lines${log.gap ? ` · gap at line ${log.gap.expected}` : ''}` : '';
  const marks = log?.marks ?? [];
  ($('#first-error') as HTMLButtonElement).disabled = marks.length === 0;
  $('#marks').innerHTML =
    marks
      .slice(0, 20)
      .map((m, i) => `<button class="mark-chip" data-line="${m.line}" data-i="${i}" title="line ${m.line + 1}">${esc(m.summary)} · line ${m.line + 1}</button>`)
      .join('') + (marks.length > 20 ? `<span class="muted">+${marks.length - 20} more</span>` : '');
  logView.update({ log, rows, follow: v.follow, search: v.search, current: hitIndex >= 0 ? hits[hitIndex] : undefined, markLines: new Set(marks.map((m) => m.line)) });
}

// Prepare the search blocks in idle time, a few milliseconds at a time, so the first search of a
// long log costs what later ones do.
let warming = false;
function warmInIdle(): void {
  if (warming || !state.log) return;
  warming = true;
  const step = () => {
    const log = state.log;
    if (!log || warmSearch(log, 8)) {
      warming = false;
      return;
    }
    setTimeout(step, 16);
  };
  setTimeout(step, 50);
}

function gotoHit(delta: number): void {
  if (!hits.length) return;
  hitIndex = (hitIndex + delta + hits.length) % hits.length;
  dispatch({ type: 'ui/logView', patch: { follow: false } });
  dirty.log = true;
  render();
  logView.revealLine(hits[hitIndex]);
}

function revealLine(line: number): void {
  dispatch({ type: 'ui/logView', patch: { follow: false } });
  render();
  logView.revealLine(line);
}

// ---------------------------------------------------------------- charts

const gpuCharts = new Map<string, HTMLCanvasElement>();
const trainCharts = new Map<string, HTMLCanvasElement>();
function canvasIn(host: HTMLElement, map: Map<string, HTMLCanvasElement>, id: string, label: string): HTMLCanvasElement {
  let c = map.get(id);
  if (!c) {
    c = document.createElement('canvas');
    c.className = 'chart';
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', label);
    host.append(c);
    map.set(id, c);
  }
  return c;
}

/** One host's GPUs or all of them, when the samples come from more than one host (a multi-node Slurm job). */
function renderHostPicker(hosts: string[], host: string): void {
  const select = $('#gpu-host') as HTMLSelectElement;
  select.hidden = hosts.length <= 1;
  const want = ['all', ...hosts].join('\n');
  if (select.dataset.options !== want) {
    select.dataset.options = want;
    select.replaceChildren(
      ...['all', ...hosts].map((h) => {
        const o = document.createElement('option');
        o.value = h;
        o.textContent = h === 'all' ? `all ${hosts.length} hosts` : h;
        return o;
      }),
    );
  }
  select.value = host;
}

/** Which colour is which GPU; the same colours in every GPU chart. */
function renderLegend(items: { label: string; color: string }[]): void {
  const legend = $('#gpu-legend');
  const key = items.map((i) => `${i.label}:${i.color}`).join('|');
  if (legend.dataset.key === key) return;
  legend.dataset.key = key;
  legend.replaceChildren(
    ...items.map((i) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = i.color;
      item.append(swatch, i.label);
      return item;
    }),
  );
}

let chartsDrawnAt = 0;
function renderCharts(): void {
  chartsDrawnAt = performance.now();
  const theme = readTheme(document.body);
  const colors = palette(document.body);
  const run = selected();
  const t = state.telemetry;
  const label = $('#telemetry-label');
  const words: Record<string, string> = { off: 'GPU metrics: not sampling', starting: 'GPU metrics: starting…', sampling: 'GPU metrics', 'no-gpu': 'GPU metrics: no NVIDIA GPU on this host', error: 'GPU metrics: error', stopped: 'GPU metrics: stopped' };
  label.textContent = `${t.message && t.state !== 'sampling' ? `GPU metrics: ${t.message}` : words[t.state]}${t.via && t.state !== 'off' ? ` · from ${t.via}` : ''}${t.message && t.state === 'sampling' ? ` · ${t.message}` : ''}`;
  label.className = `telemetry-label ${t.source === 'replay' ? 'replay' : ''} ${t.state === 'error' ? 'error' : ''}`;
  label.setAttribute('role', 'status');
  if (t.source === 'replay') label.insertAdjacentHTML('afterbegin', '<span class="replay-tag" title="Replayed metrics (recorded or generated), not live GPUs">REPLAY</span> ');

  const health = state.health;
  $('#health').innerHTML = health.length
    ? health
        .slice(-12)
        .map((e) => `<span class="health-chip health-${e.kind}" role="note" title="${esc(new Date(e.t).toLocaleString())}">${esc(e.host)}/GPU ${e.gpu}: ${esc(e.summary)} · ${fmtTime(e.t)}</span>`)
        .join('') + (health.length > 12 ? `<span class="muted">+${health.length - 12} earlier</span>` : '')
    : '';

  const now = Date.now();
  const cs = getComputedStyle(document.body);
  const model = gpuChartModel(state, run, now, { series: colors, muted: theme.muted, estimate: cs.getPropertyValue('--vscode-charts-yellow').trim() || '#cca700' });
  renderHostPicker(model.hosts, model.host);
  renderLegend(model.legend);
  const gpuHost = $('#gpu-charts');
  gpuHost.hidden = model.specs.length === 0;
  const canvases = model.specs.map(([id, spec]) => canvasIn(gpuHost, gpuCharts, id, spec.title));
  // Charts come and go with the fields the source has (DCGM activity, NVLink): keep their order.
  if (canvases.length !== gpuHost.children.length || canvases.some((c, i) => gpuHost.children[i] !== c)) gpuHost.replaceChildren(...canvases);
  model.specs.forEach(([, spec], i) => drawChart(canvases[i], spec, theme));

  const points = state.train.runId === state.selectedId ? state.train.points : [];
  const trainHost = $('#train-charts');
  trainHost.hidden = points.length === 0;
  if (points.length) {
    const xs = points.map((p, i) => p.step ?? i + 1);
    const xMin = Math.min(...xs.slice(0, 1), xs[0]);
    const xMax = xs[xs.length - 1];
    const one = (title: string, unit: string, ys: (number | undefined)[], color: string): ChartSpec => ({ title, unit, series: [{ label: title, color, xs, ys }], xMin, xMax: Math.max(xMax, xMin + 1), xKind: 'step', empty: `no ${title.toLowerCase()} in the log` });
    drawChart(
      canvasIn(trainHost, trainCharts, 'loss', 'Loss'),
      one(
        'Loss',
        '',
        points.map((p) => p.loss),
        colors[0],
      ),
      theme,
    );
    drawChart(
      canvasIn(trainHost, trainCharts, 'tps', 'Tokens per second'),
      one(
        'Tokens/s',
        '',
        points.map((p) => p.tokensPerSec),
        colors[1],
      ),
      theme,
    );
    drawChart(
      canvasIn(trainHost, trainCharts, 'lr', 'Learning rate'),
      one(
        'Learning rate',
        '',
        points.map((p) => p.lr),
        colors[2],
      ),
      theme,
    );
  }
}

// ---------------------------------------------------------------- comparison

const compareCharts = new Map<string, HTMLCanvasElement>();
const changeWords: Record<string, string> = { changed: 'changed', added: 'only in B', removed: 'only in A', same: '' };
let compareShownFor: unknown;

function renderCompare(): void {
  const c = state.compare;
  const section = $('#compare');
  const open = !!c;
  section.hidden = !open;
  for (const id of ['#run-head', '.charts', '.logs']) ($(id) as HTMLElement).hidden = open;
  if (!c) {
    compareShownFor = undefined;
    return;
  }
  const side = (s: typeof c.a, tag: string) => `<strong>${tag}</strong> ${esc(s.run.name)} <span class="muted">${esc(s.run.id)} · ${esc(s.run.state)} · ${fmtTime(s.run.startedAt ?? s.run.submittedAt)} · ${fmtDuration(s.run)}</span>`;
  $('#compare-names').innerHTML = `${side(c.a, 'A')} &nbsp;vs&nbsp; ${side(c.b, 'B')}`;
  ($('#compare-all') as HTMLInputElement).checked = state.compareAll;
  const figures = (s: typeof c.a, tag: string) =>
    `<div class="compare-col" role="group" aria-label="Figures of ${tag}"><div class="compare-col-head">${tag} · ${esc(s.run.name)}${s.configFrom === 'plan' ? ' <span class="muted" title="This run was submitted before Gantry kept spec documents: its plan is compared instead.">(config from its plan)</span>' : ''}</div>${s.figures.length ? s.figures.map((l) => `<div>${esc(l)}</div>`).join('') : '<div class="muted">No measured figures kept for this run (they are read when a run ends).</div>'}</div>`;
  $('#compare-figures').innerHTML = figures(c.a, 'A') + figures(c.b, 'B');
  const rows = state.compareAll ? c.rows : c.rows.filter((r) => r.change !== 'same');
  const changed = c.rows.filter((r) => r.change !== 'same').length;
  $('#compare-table').innerHTML = `<caption>${changed ? `${changed} of ${c.rows.length} keys differ` : `the ${c.rows.length} keys are the same`}</caption><thead><tr><th scope="col">Key</th><th scope="col">A</th><th scope="col">B</th><th scope="col"><span class="sr-only">Change</span></th></tr></thead><tbody>${rows
    .map((r) => `<tr class="diff-${r.change}"><th scope="row">${esc(r.path)}</th><td>${esc(r.a ?? '')}</td><td>${esc(r.b ?? '')}</td><td class="muted">${changeWords[r.change]}</td></tr>`)
    .join('')}</tbody>`;
  const colors = palette(document.body);
  const theme = readTheme(document.body);
  const host = $('#compare-charts');
  for (const [id, spec] of compareChartSpecs(c, { series: colors, muted: theme.muted, estimate: colors[0] })) drawChart(canvasIn(host, compareCharts, id, spec.title), spec, theme);
  if (compareShownFor !== c.a.run.id + c.b.run.id) {
    compareShownFor = c.a.run.id + c.b.run.id;
    ($('#compare-close') as HTMLButtonElement).focus();
  }
}

function closeCompare(): void {
  dispatch({ type: 'ui/compareClose' });
  post({ type: 'compare/close' });
}

// The GPU charts scroll with time even when no sample arrives, and live durations count up.
setInterval(() => {
  const live = state.runs.some((r) => r.state === 'running' || r.state === 'queued' || r.state === 'pending');
  // Samples arriving each second already redraw the charts; only a quiet stream needs the tick.
  if (Object.keys(state.gpus).length && performance.now() - chartsDrawnAt > 1500) dirty.charts = true;
  if (live) dirty.runs = dirty.head = true;
  if ((dirty.charts || dirty.runs) && !frame) frame = requestAnimationFrame(render);
}, 1000);

// ---------------------------------------------------------------- events

document.addEventListener('click', (e) => {
  const el = e.target as HTMLElement;
  const openSpec = el.closest('[data-open-spec]') as HTMLElement | null;
  if (openSpec) {
    e.preventDefault();
    post({ type: 'spec/open', runId: openSpec.dataset.openSpec! });
    return;
  }
  const li = el.closest('#run-list li[data-id]') as HTMLElement | null;
  if (li) return selectRun(li.dataset.id!);
  const chip = el.closest('.mark-chip') as HTMLElement | null;
  if (chip) return revealLine(Number(chip.dataset.line));
  const r = selected();
  switch (el.id) {
    case 'open-spec':
      if (r) post({ type: 'spec/open', runId: r.id });
      break;
    case 'cancel':
      if (r) {
        (el as HTMLButtonElement).disabled = true;
        post({ type: 'run/cancel', runId: r.id });
      }
      break;
    case 'rerun':
      if (r) {
        (el as HTMLButtonElement).disabled = true;
        post({ type: 'run/rerun', runId: r.id });
      }
      break;
    case 'follow':
      dispatch({ type: 'ui/logView', patch: { follow: !state.logView.follow } });
      break;
    case 'search-next':
      gotoHit(1);
      break;
    case 'search-prev':
      gotoHit(-1);
      break;
    case 'first-error':
      if (state.log?.marks.length) revealLine(state.log.marks[0].line);
      break;
    case 'copy':
      post({ type: 'log/copy', text: logView.visibleText() });
      break;
    case 'compare-pick':
      if (r) post({ type: 'compare/pick', runId: r.id });
      break;
    case 'compare-close':
      closeCompare();
      break;
    case 'raw':
      if (r) post({ type: 'log/openRaw', runId: r.id, stream: state.logView.stream === 'stderr' ? 'stderr' : 'stdout' });
      break;
  }
});

function selectRun(id: string): void {
  if (id === state.selectedId && state.log?.runId === id) return;
  dispatch({ type: 'ui/select', runId: id });
  post({ type: 'run/select', runId: id });
}

$('#compare-all').addEventListener('change', (e) => dispatch({ type: 'ui/compareAll', on: (e.target as HTMLInputElement).checked }));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && state.compare) {
    e.preventDefault();
    closeCompare();
  }
});
$('#run-filter').addEventListener('change', (e) => dispatch({ type: 'ui/runFilter', filter: (e.target as HTMLSelectElement).value as PanelState['runFilter'] }));
$('#gpu-host').addEventListener('change', (e) => dispatch({ type: 'ui/gpuHost', host: (e.target as HTMLSelectElement).value }));
$('#rank-filter').addEventListener('change', (e) => {
  const v = (e.target as HTMLSelectElement).value;
  dispatch({ type: 'ui/logView', patch: { rank: v === 'all' ? 'all' : Number(v) } });
});
$('#stream-filter').addEventListener('change', (e) => dispatch({ type: 'ui/logView', patch: { stream: (e.target as HTMLSelectElement).value as 'all' } }));
$('#only-matches').addEventListener('change', (e) => dispatch({ type: 'ui/logView', patch: { onlyMatches: (e.target as HTMLInputElement).checked } }));
let searchTimer: ReturnType<typeof setTimeout> | undefined;
$('#search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  const value = (e.target as HTMLInputElement).value;
  searchTimer = setTimeout(() => dispatch({ type: 'ui/logView', patch: { search: value } }), 120);
});
$('#search').addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  clearTimeout(searchTimer);
  const value = (e.target as HTMLInputElement).value;
  if (value !== state.logView.search) dispatch({ type: 'ui/logView', patch: { search: value } });
  // This search's matches before moving to one: the typing debounce's dispatch may have left its render
  // to the next frame (a loaded UI run pressed Enter in between, and the count stayed at 0/1).
  if (dirty.log) render();
  gotoHit(e.shiftKey ? -1 : 1);
});
$('#run-list').addEventListener('keydown', (e) => {
  const runs = visibleRuns(state);
  const i = runs.findIndex((r) => r.id === state.selectedId);
  const next = e.key === 'ArrowDown' ? runs[Math.min(runs.length - 1, i + 1)] : e.key === 'ArrowUp' ? runs[Math.max(0, i - 1)] : undefined;
  if (next) {
    e.preventDefault();
    selectRun(next.id);
  } else if (e.key === 'Enter' && state.selectedId) post({ type: 'spec/open', runId: state.selectedId });
});
window.addEventListener('resize', () => {
  dirty.charts = true;
  if (!frame) frame = requestAnimationFrame(render);
});

render();
post({ type: 'ready', selectedId: state.selectedId });
