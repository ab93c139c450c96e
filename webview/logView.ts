// The virtualized log view: only the rows in sight exist in the DOM, so a log of millions of lines
// scrolls like a short one. Browsers cap an element's height (about 33 million px in Chromium), so
// past a few hundred thousand rows the scroll range is scaled: the scrollbar maps to line numbers
// proportionally instead of pixel for pixel.
import type { LogBuffer } from './state';

const ROW_PX = 18;
const MAX_SCROLL_PX = 8_000_000;

export interface LogViewModel {
  log?: LogBuffer;
  /** The lines shown, as indices into the log; undefined = all lines. */
  rows?: Int32Array;
  follow: boolean;
  search: string;
  /** Line index to highlight as the current search hit. */
  current?: number;
  markLines: Set<number>;
}

export class LogView {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private model: LogViewModel = { follow: true, search: '', markLines: new Set() };
  private programmaticScroll = false;
  /** Called when the person scrolls away from the end (follow off) or back to it (follow on). */
  onFollowChange?: (follow: boolean) => void;

  constructor(host: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'log-scroll';
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'log');
    this.el.setAttribute('aria-label', 'Run log');
    this.spacer = document.createElement('div');
    this.spacer.className = 'log-spacer';
    this.layer = document.createElement('div');
    this.layer.className = 'log-layer';
    this.el.append(this.spacer, this.layer);
    host.append(this.el);
    this.el.addEventListener('scroll', () => {
      if (this.programmaticScroll) {
        this.programmaticScroll = false;
      } else {
        const atEnd = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - ROW_PX;
        if (atEnd !== this.model.follow) this.onFollowChange?.(atEnd);
      }
      this.paint();
    });
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.paint()).observe(this.el);
  }

  get rowCount(): number {
    return this.model.rows ? this.model.rows.length : (this.model.log?.length ?? 0);
  }

  update(model: LogViewModel): void {
    this.model = model;
    const n = this.rowCount;
    this.spacer.style.height = `${Math.min(n * ROW_PX, MAX_SCROLL_PX)}px`;
    if (model.follow) this.scrollToRow(n - 1, 'end');
    this.paint();
  }

  /** Scrolls so that the row at `row` (an index into the shown rows) is in view. */
  scrollToRow(row: number, align: 'center' | 'end' = 'center'): void {
    const n = this.rowCount;
    const visible = Math.max(1, Math.floor(this.el.clientHeight / ROW_PX));
    const first = Math.max(0, Math.min(n - visible, align === 'end' ? row - visible + 1 : row - Math.floor(visible / 2)));
    const max = this.el.scrollHeight - this.el.clientHeight;
    const target = n * ROW_PX <= MAX_SCROLL_PX ? first * ROW_PX : max * (first / Math.max(1, n - visible));
    if (Math.abs(this.el.scrollTop - target) > 0.5) {
      this.programmaticScroll = true;
      this.el.scrollTop = target;
    }
  }

  /** Scrolls to log line `line` (an index into the whole log). */
  revealLine(line: number): void {
    const rows = this.model.rows;
    let row = line;
    if (rows) {
      let lo = 0;
      let hi = rows.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid] < line) lo = mid + 1;
        else hi = mid;
      }
      row = lo;
    }
    this.scrollToRow(row);
    this.paint();
  }

  /** The text of the rows in view (for copy). */
  visibleText(): string {
    return this.rowsInView()
      .map((i) => this.model.log?.lines[i] ?? '')
      .join('\n');
  }

  private firstRow(): number {
    const n = this.rowCount;
    const visible = Math.max(1, Math.floor(this.el.clientHeight / ROW_PX));
    if (n * ROW_PX <= MAX_SCROLL_PX) return Math.floor(this.el.scrollTop / ROW_PX);
    const max = Math.max(1, this.el.scrollHeight - this.el.clientHeight);
    return Math.round((this.el.scrollTop / max) * Math.max(0, n - visible));
  }

  private rowsInView(): number[] {
    const n = this.rowCount;
    const first = Math.max(0, this.firstRow());
    const count = Math.ceil(this.el.clientHeight / ROW_PX) + 1;
    const out: number[] = [];
    for (let r = first; r < Math.min(n, first + count); r++) out.push(this.model.rows ? this.model.rows[r] : r);
    return out;
  }

  paint(): void {
    const log = this.model.log;
    const lines = this.rowsInView();
    // The layer sits at the top of the viewport; rows are laid out inside it.
    this.layer.style.transform = `translateY(${this.el.scrollTop}px)`;
    while (this.layer.childElementCount > lines.length) this.layer.lastElementChild!.remove();
    while (this.layer.childElementCount < lines.length) {
      const row = document.createElement('div');
      row.className = 'log-row';
      const no = document.createElement('span');
      no.className = 'log-no';
      const text = document.createElement('span');
      text.className = 'log-text';
      row.append(no, text);
      this.layer.append(row);
    }
    const q = this.model.search.toLowerCase();
    lines.forEach((i, k) => {
      const row = this.layer.children[k] as HTMLElement;
      const line = log?.lines[i] ?? '';
      const cls = ['log-row'];
      if (log && log.streams[i] === 1) cls.push('stderr');
      if (this.model.markLines.has(i)) cls.push('mark');
      if (i === this.model.current) cls.push('current');
      row.className = cls.join(' ');
      (row.firstChild as HTMLElement).textContent = String(i + 1);
      const textEl = row.lastChild as HTMLElement;
      const rank = log ? log.ranks[i] : 0;
      // Lines from a per-rank file get a prefix; lines that carry a launcher's prefix keep theirs.
      const prefix = rank > 0 && !/^(?:\[[A-Za-z_]*\d+\]:|\[\d+,\d+\]<|\s*\d+: )/.test(line) ? `[rank ${rank - 1}] ` : '';
      const shown = prefix + (line.length > 4000 ? `${line.slice(0, 4000)} …` : line);
      const at = q ? shown.toLowerCase().indexOf(q) : -1;
      if (at < 0) {
        textEl.textContent = shown;
      } else {
        textEl.textContent = '';
        const hit = document.createElement('mark');
        hit.textContent = shown.slice(at, at + q.length);
        textEl.append(shown.slice(0, at), hit, shown.slice(at + q.length));
      }
    });
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.el.clientHeight / ROW_PX) - 1);
    const first = this.firstRow();
    let target: number | undefined;
    if (e.key === 'PageDown') target = first + page + page;
    else if (e.key === 'PageUp') target = first - page + 1;
    else if (e.key === 'ArrowDown') target = first + page + 1;
    else if (e.key === 'ArrowUp') target = first - 1;
    else if (e.key === 'End') target = this.rowCount - 1;
    else if (e.key === 'Home') target = 0;
    if (target === undefined) return;
    e.preventDefault();
    const n = this.rowCount;
    const t = Math.max(0, Math.min(n - 1, target));
    const visible = Math.max(1, Math.floor(this.el.clientHeight / ROW_PX));
    // Keep the scroll math in one place: align the target to the top or bottom of the view.
    this.scrollToRow(t > first ? t : t + visible - 1, 'end');
    this.paint();
  }
}
