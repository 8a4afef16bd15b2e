// File names and contents of exports, and a write that never leaves a half-written file behind.
import type { EpochMetrics, TrainConfig } from '../core/types';
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

export function metricsCsv(history: readonly EpochMetrics[]): string {
  const lines = ['epoch,loss,accuracy,sigmaMaxWhh,predicted'];
  for (const m of history) {
    lines.push(`${m.epoch},${m.loss},${m.accuracy},${m.sigmaMaxWhh},${csvQuote(m.predicted)}`);
  }
  return lines.join('\r\n') + '\r\n';
}

export interface MetricsJson {
  format: 'rnn-lab-metrics';
  version: 1;
  title: string;
  text: string;
  config: TrainConfig;
  state: RunState;
  firstEpoch: number;
  steps: number;
  stepLabels: string[];
  epochs: EpochMetrics[];
}

export function metricsJson(info: Pick<RunInfo, 'title' | 'chars' | 'config' | 'firstEpoch' | 'steps' | 'stepLabels'>, state: RunState, history: readonly EpochMetrics[]): string {
  const doc: MetricsJson = {
    format: 'rnn-lab-metrics',
    version: 1,
    title: info.title,
    text: info.chars.join(''),
    config: info.config,
    state,
    firstEpoch: info.firstEpoch,
    steps: info.steps,
    stepLabels: info.stepLabels,
    epochs: history.slice(),
  };
  return JSON.stringify(doc, null, 1) + '\n';
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
