// The one owner of a run's metrics, used by the host and the webview alike: growable typed
// columns that charts and heatmaps read directly, per-step rows under one byte budget, the
// predictions under a character budget, and the conversions to and from EpochBlocks.
//
// Epochs are consecutive (first, first+1, …), so an epoch's index is `epoch − first`. Which
// epochs still carry rows is explicit (`hasRows`): the budget drops the oldest rows first, and a
// slimmed saved state keeps an even spread; a missing row is never an empty array.
import type { EpochMetrics } from '../core/types';
import { ROW_KEYS, SCALAR_KEYS, rowLength, layoutOfBlock, type BlockLayout, type EpochBlock, type RowKey, type ScalarKey } from './epochBlock';
import { t } from '../core/l10n';

export interface MetricsBudget {
  /** Bytes of per-step rows kept per run (Float64: 8 bytes a number). */
  rowBytes: number;
  /** UTF-16 units of predictions kept per run; the newest epoch's is always kept. */
  predictedChars: number;
}

/**
 * 64 MiB of rows is 8,388,608 numbers per run (eight times the million the host kept before):
 * a 10,000-epoch run of a 200-step text with four row kinds fits whole.
 */
export const DEFAULT_BUDGET: Readonly<MetricsBudget> = Object.freeze({ rowBytes: 64 * 1024 * 1024, predictedChars: 8_000_000 });

/** One epoch as a record: the scalars always, the rows only when kept. */
export type EpochRecord = Omit<EpochMetrics, RowKey | 'predicted' | 'shrinkPerStep' | 'reach1pct'> & {
  predicted: string | null;
  shrinkPerStep?: number | null;
  reach1pct?: number | null;
  valLoss?: number;
  valAccuracy?: number;
  /** False when the budget (or a slimmed saved state) dropped this epoch's per-step rows. */
  rowsKept: boolean;
} & Partial<Record<RowKey, number[]>>;

/** Scalars whose NaN stands for a null of the core's report (they are undefined, not broken). */
const NULLABLE: ReadonlySet<ScalarKey> = new Set<ScalarKey>(['shrinkPerStep', 'reach1pct']);

export class MetricsStore {
  readonly layout: BlockLayout;
  private readonly budget: MetricsBudget;
  private n = 0;
  private cap = 0;
  private firstEpoch = 0;
  private readonly cols = new Map<ScalarKey, Float64Array>();
  private clippedCol = new Uint8Array(0);
  private paramCol = new Float64Array(0);
  /** Per epoch index: its slot in the row storage, or −1. */
  private slotOf = new Int32Array(0);
  /** Row storage: slots [slotStart, slotEnd) are in use, oldest first; slotEpoch maps back. */
  private readonly rowData = new Map<RowKey, Float64Array>();
  private slotEpoch = new Int32Array(0);
  private slotCap = 0;
  private slotStart = 0;
  private slotEnd = 0;
  private readonly rowBytesPerEpoch: number;
  private readonly predictedList: (string | null)[] = [];
  private predictedUnits = 0;
  /** Epochs below this index have had their droppable predictions dropped already. */
  private predictedCursor = 0;
  /** Bumped on every change; views compare it to know when to redraw. */
  version = 0;
  /** Epoch indexes whose rows were dropped so far, oldest first (a count, for "the panel says so"). */
  droppedRows = 0;

  constructor(layout: BlockLayout, budget: MetricsBudget = DEFAULT_BUDGET, private readonly keepPrediction: (epoch: number) => boolean = () => false) {
    this.layout = { ...layout, scalars: [...layout.scalars], rows: [...layout.rows], params: [...layout.params] };
    this.budget = budget;
    this.rowBytesPerEpoch = 8 * layout.rows.reduce((s, k) => s + rowLength(k, layout.steps), 0);
  }

  /** A store whose layout is the block's, holding that block. */
  static fromBlock(block: EpochBlock, budget?: MetricsBudget, keepPrediction?: (epoch: number) => boolean): MetricsStore {
    const s = new MetricsStore(layoutOfBlock(block), budget, keepPrediction);
    s.append(block);
    return s;
  }

  get length(): number {
    return this.n;
  }

  /** Epoch number of index 0 (meaningless while empty). */
  get first(): number {
    return this.firstEpoch;
  }

  /** Epoch number that the next appended block must start with. */
  get nextEpoch(): number {
    return this.firstEpoch + this.n;
  }

  get steps(): number {
    return this.layout.steps;
  }

  /** Index of an epoch number, or −1. */
  indexOf(epoch: number): number {
    const i = epoch - this.firstEpoch;
    return Number.isInteger(i) && i >= 0 && i < this.n ? i : -1;
  }

  epochAt(i: number): number {
    return this.firstEpoch + i;
  }

  has(key: ScalarKey): boolean {
    return this.cols.has(key);
  }

  hasRowKind(key: RowKey): boolean {
    return this.rowData.has(key);
  }

  /** The column over all epochs (a view: valid until the next append). */
  scalar(key: ScalarKey): Float64Array {
    const c = this.cols.get(key);
    return c ? c.subarray(0, this.n) : new Float64Array(0);
  }

  value(key: ScalarKey, i: number): number {
    return this.cols.get(key)?.[i] ?? NaN;
  }

  clipped(i: number): boolean {
    return this.clippedCol[i] === 1;
  }

  paramGradNorm(i: number): Record<string, number> {
    const P = this.layout.params.length;
    const out: Record<string, number> = {};
    for (let p = 0; p < P; p++) out[this.layout.params[p]] = this.paramCol[i * P + p];
    return out;
  }

  hasRows(i: number): boolean {
    return i >= 0 && i < this.n && this.slotOf[i] >= 0;
  }

  /** The epoch's row (a view: valid until the next append), or null when not kept. */
  row(key: RowKey, i: number): Float64Array | null {
    const data = this.rowData.get(key);
    if (!data || i < 0 || i >= this.n) return null;
    const slot = this.slotOf[i];
    if (slot < 0) return null;
    const len = rowLength(key, this.layout.steps);
    return data.subarray(slot * len, (slot + 1) * len);
  }

  /** The nearest index at or before i that kept its rows, or −1. */
  rowsAtOrBefore(i: number): number {
    for (let j = Math.min(i, this.n - 1); j >= 0; j--) if (this.slotOf[j] >= 0) return j;
    return -1;
  }

  predicted(i: number): string | null {
    return this.predictedList[i] ?? null;
  }

  /** Appends the next consecutive epochs. */
  append(b: EpochBlock): void {
    if (b.count === 0) return;
    if (this.n > 0 && b.first !== this.nextEpoch) throw new RangeError(t('epochs {0}… do not follow epoch {1}', b.first, this.nextEpoch - 1));
    if (b.steps !== this.layout.steps) throw new RangeError(t('a block of {0} steps in a run of {1}', b.steps, this.layout.steps));
    if (this.n === 0) this.firstEpoch = b.first;
    const at = this.n;
    this.grow(at + b.count);
    for (const key of this.layout.scalars) {
      const src = b.scalars[key];
      const col = this.cols.get(key)!;
      if (src) col.set(src, at);
      else col.fill(NaN, at, at + b.count);
    }
    this.clippedCol.set(b.clipped, at);
    this.paramCol.set(b.paramGradNorm.subarray(0, b.count * this.layout.params.length), at * this.layout.params.length);
    this.slotOf.fill(-1, at, at + b.count);
    this.n = at + b.count;
    if (this.rowBytesPerEpoch > 0) {
      const r = b.rowEpochs.length;
      this.growSlots(this.slotEnd + r);
      for (let k = 0; k < r; k++) {
        const slot = this.slotEnd + k;
        this.slotOf[at + b.rowEpochs[k]] = slot;
        this.slotEpoch[slot] = at + b.rowEpochs[k];
      }
      for (const key of this.layout.rows) {
        const len = rowLength(key, this.layout.steps);
        const src = b.rows[key];
        const data = this.rowData.get(key)!;
        if (src) data.set(src.subarray(0, r * len), this.slotEnd * len);
        else data.fill(NaN, this.slotEnd * len, (this.slotEnd + r) * len);
      }
      this.slotEnd += r;
    }
    for (let k = 0; k < b.count; k++) {
      const p = b.predicted[k] ?? null;
      this.predictedList.push(p);
      if (p) this.predictedUnits += p.length;
    }
    this.trimRows();
    this.trimPredictions();
    this.version++;
  }

  /** Bytes of rows held now. */
  get rowBytes(): number {
    return (this.slotEnd - this.slotStart) * this.rowBytesPerEpoch;
  }

  get predictedChars(): number {
    return this.predictedUnits;
  }

  /** One epoch as a record (exports, the API, log lines). */
  record(i: number): EpochRecord {
    const rec: Record<string, unknown> = { epoch: this.epochAt(i) };
    for (const key of this.layout.scalars) {
      const v = this.value(key, i);
      rec[key] = NULLABLE.has(key) && Number.isNaN(v) ? null : v;
    }
    rec.predicted = this.predicted(i);
    rec.paramGradNorm = this.paramGradNorm(i);
    if (this.clipped(i)) rec.clipped = true;
    rec.rowsKept = this.hasRows(i);
    if (this.hasRows(i)) for (const key of this.layout.rows) rec[key] = Array.from(this.row(key, i)!);
    return rec as EpochRecord;
  }

  /**
   * The epochs [from, to) as blocks of at most about `maxBytes` each (copies, safe to transfer).
   * `rowEvery` keeps the rows of every n-th epoch only (counted back from the newest) and
   * `predictions` says which predictions to keep; the defaults keep all that is stored.
   */
  toBlocks(options: { from?: number; to?: number; maxBytes?: number; rowEvery?: number; predictions?: (i: number) => boolean } = {}): EpochBlock[] {
    const from = Math.max(0, options.from ?? 0);
    const to = Math.min(this.n, options.to ?? this.n);
    const rowEvery = Math.max(1, Math.floor(options.rowEvery ?? 1));
    const keep = options.predictions ?? (() => true);
    const perEpoch = 8 * (this.layout.scalars.length + this.layout.params.length) + 5 + this.rowBytesPerEpoch;
    const size = Math.max(1, Math.floor((options.maxBytes ?? Infinity) / perEpoch));
    const out: EpochBlock[] = [];
    for (let s = from; s < to; s += size) out.push(this.slice(s, Math.min(to, s + size), rowEvery, keep));
    return out;
  }

  private slice(from: number, to: number, rowEvery: number, keep: (i: number) => boolean): EpochBlock {
    const count = to - from;
    const P = this.layout.params.length;
    const scalars: Partial<Record<ScalarKey, Float64Array>> = {};
    for (const key of this.layout.scalars) scalars[key] = this.cols.get(key)!.slice(from, to);
    const withRows: number[] = [];
    const newest = this.n - 1;
    for (let i = from; i < to; i++) if (this.slotOf[i] >= 0 && ((newest - i) % rowEvery === 0 || i === newest)) withRows.push(i);
    const rows: Partial<Record<RowKey, Float64Array>> = {};
    for (const key of this.layout.rows) {
      const len = rowLength(key, this.layout.steps);
      const data = this.rowData.get(key)!;
      const out = new Float64Array(withRows.length * len);
      withRows.forEach((i, k) => out.set(data.subarray(this.slotOf[i] * len, (this.slotOf[i] + 1) * len), k * len));
      rows[key] = out;
    }
    const predicted: (string | null)[] = [];
    for (let i = from; i < to; i++) predicted.push(keep(i) ? this.predictedList[i] : null);
    return {
      first: this.epochAt(from),
      count,
      steps: this.layout.steps,
      params: [...this.layout.params],
      scalars,
      clipped: this.clippedCol.slice(from, to),
      paramGradNorm: this.paramCol.slice(from * P, to * P),
      rowEpochs: Int32Array.from(withRows, (i) => i - from),
      rows,
      predicted,
    };
  }

  // ---------- storage ----------

  private grow(need: number): void {
    if (need <= this.cap) return;
    let cap = Math.max(64, this.cap);
    while (cap < need) cap *= 2;
    const P = this.layout.params.length;
    for (const key of this.layout.scalars) {
      const col = new Float64Array(cap);
      const old = this.cols.get(key);
      if (old) col.set(old.subarray(0, this.n));
      this.cols.set(key, col);
    }
    const clipped = new Uint8Array(cap);
    clipped.set(this.clippedCol.subarray(0, this.n));
    this.clippedCol = clipped;
    const params = new Float64Array(cap * P);
    params.set(this.paramCol.subarray(0, this.n * P));
    this.paramCol = params;
    const slotOf = new Int32Array(cap);
    slotOf.set(this.slotOf.subarray(0, this.n));
    this.slotOf = slotOf;
    this.cap = cap;
  }

  /** Makes room for slots up to `need`, first by moving the live slots down over dropped ones. */
  private growSlots(need: number): void {
    if (need <= this.slotCap) return;
    const live = this.slotEnd - this.slotStart;
    const want = live + (need - this.slotEnd);
    if (this.slotStart > 0 && want <= this.slotCap && this.slotStart >= this.slotCap / 2) {
      this.moveSlots(this.slotCap);
      return;
    }
    let cap = Math.max(16, this.slotCap);
    while (cap < want) cap *= 2;
    this.moveSlots(cap);
  }

  /** Re-packs the live slots at the start of storage of `cap` slots. */
  private moveSlots(cap: number): void {
    const start = this.slotStart;
    const live = this.slotEnd - start;
    for (const key of this.layout.rows) {
      const len = rowLength(key, this.layout.steps);
      const old = this.rowData.get(key);
      const data = cap === this.slotCap && old ? old : new Float64Array(cap * len);
      if (old) data.set(old.subarray(start * len, this.slotEnd * len), 0);
      this.rowData.set(key, data);
    }
    const epochs = cap === this.slotCap ? this.slotEpoch : new Int32Array(cap);
    epochs.set(this.slotEpoch.subarray(start, this.slotEnd), 0);
    for (let s = 0; s < live; s++) this.slotOf[epochs[s]] = s;
    this.slotEpoch = epochs;
    this.slotCap = cap;
    this.slotStart = 0;
    this.slotEnd = live;
  }

  private trimRows(): void {
    // The newest epoch always keeps its rows.
    while (this.rowBytes > this.budget.rowBytes && this.slotEnd - this.slotStart > 1) {
      this.slotOf[this.slotEpoch[this.slotStart]] = -1;
      this.slotStart++;
      this.droppedRows++;
    }
  }

  private trimPredictions(): void {
    const newest = this.n - 1;
    // First the predictions nobody asked to keep, oldest first; the printed ones only if still over.
    while (this.predictedUnits > this.budget.predictedChars && this.predictedCursor < newest) {
      const i = this.predictedCursor++;
      const p = this.predictedList[i];
      if (p && !this.keepPrediction(this.epochAt(i))) {
        this.predictedUnits -= p.length;
        this.predictedList[i] = null;
      }
    }
    for (let i = 0; this.predictedUnits > this.budget.predictedChars && i < newest; i++) {
      const p = this.predictedList[i];
      if (p) {
        this.predictedUnits -= p.length;
        this.predictedList[i] = null;
      }
    }
  }
}

export { ROW_KEYS, SCALAR_KEYS };
