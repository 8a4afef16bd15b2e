// File names and contents of exports, and a write that never leaves a half-written file behind.
import { deriveShrink } from '../core/why';
import type { TrainConfig } from '../core/types';
import type { ScalarKey } from '../shared/epochBlock';
import type { EpochRecord, MetricsStore } from '../shared/metricsStore';
import type { RunInfo, RunState } from '../shared/protocol';

/** "hello world! nice" → "hello-world-nice": safe in any file system, recognisable to the user. */
export function slugify(text: string, maxLength = 24): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // "é" → "e" rather than "e-"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, maxLength).replace(/-+$/, '');
  return cut || 'text';
}

function baseName(text: string, config: TrainConfig, epochs = config.epochs): string {
  return `${config.cell}-${slugify(text, 16)}-h${config.hiddenSize}-e${epochs}`;
}

/** e.g. `rnn-hello-world-h20-e600.json`; with epochsDone, named by the epochs the model has trained in all. */
export function weightsFileName(text: string, config: TrainConfig, epochsDone?: number): string {
  return `${baseName(text, config, epochsDone)}.json`;
}

/** e.g. `rnn-hello-world-h20-e600-metrics.csv` */
export function metricsFileName(text: string, config: TrainConfig, format: 'csv' | 'json'): string {
  return `${baseName(text, config)}-metrics.${format}`;
}

function csvQuote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A number as CSV/JSON text: shortest round-trip form; NaN and ±Infinity spelled out (JSON would turn them into null). */
function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The scalar columns a run has, in a fixed order; valLoss/valAccuracy only with a validation split. */
function csvColumns(store: MetricsStore): ScalarKey[] {
  return (['loss', 'accuracy', 'sigmaMaxWhh', 'shrinkPerStep', 'reach1pct', 'valLoss', 'valAccuracy'] as const).filter((k) => store.has(k));
}

/** One line per epoch; the prediction is empty where the host no longer keeps it. */
export function metricsCsv(store: MetricsStore | undefined): string {
  const cols = store ? csvColumns(store) : (['loss', 'accuracy', 'sigmaMaxWhh'] as ScalarKey[]);
  const lines = [['epoch', ...cols, 'clipped', 'predicted'].join(',')];
  if (store) {
    for (let i = 0; i < store.length; i++) {
      const cells = cols.map((k) => {
        const v = store.value(k, i);
        return (k === 'shrinkPerStep' || k === 'reach1pct') && Number.isNaN(v) ? '' : num(v);
      });
      const p = store.predicted(i);
      lines.push([String(store.epochAt(i)), ...cells, store.clipped(i) ? '1' : '0', p === null ? '' : csvQuote(p)].join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** An epoch in the JSON export: its record plus the step-shrink row derived from its last-loss row. */
export type ExportedEpoch = EpochRecord & { stepShrink?: (number | null)[] };

export interface MetricsJson {
  format: 'rnn-lab-metrics';
  version: 2;
  title: string;
  text: string;
  config: TrainConfig;
  state: RunState;
  firstEpoch: number;
  steps: number;
  stepLabels: string[];
  /** Epochs whose per-step rows the host's budget dropped (their records say rowsKept: false). */
  droppedRows: number;
  epochs: ExportedEpoch[];
}

/** JSON has no NaN or Infinity; they are written as the strings "NaN", "Infinity", "-Infinity". */
function jsonNumbers(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

export function metricsJson(info: Pick<RunInfo, 'title' | 'text' | 'config' | 'firstEpoch' | 'steps' | 'stepLabels'>, state: RunState, store: MetricsStore | undefined): string {
  const epochs: ExportedEpoch[] = [];
  if (store) {
    for (let i = 0; i < store.length; i++) {
      const rec: ExportedEpoch = store.record(i);
      if (rec.lastLossGradNorm) rec.stepShrink = deriveShrink(rec.lastLossGradNorm).stepShrink;
      epochs.push(rec);
    }
  }
  const doc: MetricsJson = {
    format: 'rnn-lab-metrics',
    version: 2,
    title: info.title,
    text: info.text,
    config: info.config,
    state,
    firstEpoch: info.firstEpoch,
    steps: info.steps,
    stepLabels: info.stepLabels,
    droppedRows: store?.droppedRows ?? 0,
    epochs,
  };
  return JSON.stringify(doc, jsonNumbers, 1) + '\n';
}

/** The file operations an atomic write needs; VS Code's workspace.fs or node:fs behind it. */
export interface WriteFs {
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
}

/**
 * Writes to a temporary file in the target's folder, then renames it over the target. A rename
 * within one folder is atomic, so a crash or a full disk leaves either the old file or the new
 * one, never a truncated export.
 */
export async function atomicWrite(fs: WriteFs, target: string, data: Uint8Array, unique = `${process.pid}-${Date.now().toString(36)}`): Promise<void> {
  const slash = Math.max(target.lastIndexOf('/'), target.lastIndexOf('\\'));
  const dir = target.slice(0, slash + 1);
  const name = target.slice(slash + 1);
  const temp = `${dir}.${name}.${unique}.tmp`;
  await fs.writeFile(temp, data);
  try {
    await fs.rename(temp, target);
  } catch (err) {
    await fs.delete(temp).catch(() => undefined);
    throw err;
  }
}
