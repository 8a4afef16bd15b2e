// What "Continue Training on Selection" trains with: the model's own architecture and
// hyperparameters (so the saved optimizer state applies and the run continues where the file
// left off), this run's epoch count from the settings, and the text checked against the model's
// vocabulary before any worker starts.
import { describeChar, Vocabulary, type WeightsFile } from '../core';
import type { TrainConfig } from '../core/types';
import { mergeConfig, parseTrainArgs, type TrainArgs } from '../shared/validate';
import type { Checked } from './generateOptions';
import { t } from '../core/l10n';

export interface ContinueArgs extends TrainArgs {
  weightsUri?: string;
}

export function parseContinueArgs(v: unknown): Checked<ContinueArgs> {
  if (v === undefined || v === null) return { ok: true, value: {} };
  if (typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: t('the argument must be an object {0}', '{ weightsUri?, text?, config? }') };
  const { weightsUri, ...rest } = v as Record<string, unknown>;
  if (weightsUri !== undefined && (typeof weightsUri !== 'string' || weightsUri.length === 0)) return { ok: false, error: t('weightsUri must be a non-empty string') };
  const parsed = parseTrainArgs(rest);
  if (!parsed.ok) return { ok: false, error: parsed.error.replace('{ text?, config? }', '{ weightsUri?, text?, config? }') };
  return { ok: true, value: { ...parsed.value, ...(weightsUri === undefined ? {} : { weightsUri: weightsUri as string }) } };
}

const ARCHITECTURE = ['cell', 'activation', 'hiddenSize'] as const;

/**
 * The file's saved hyperparameters over the settings (epochs excepted: that is how long this run
 * trains), then the caller's overrides. The architecture is the file's; asking for another one
 * is an error rather than a silent change.
 */
export function continueConfig(settings: TrainConfig, w: WeightsFile, override: Partial<TrainConfig> = {}): Checked<TrainConfig> {
  for (const key of ARCHITECTURE) {
    if (override[key] !== undefined && override[key] !== w[key]) {
      return { ok: false, error: t('config.{0} cannot change when continuing a model: it is {1} in the weights file', key, JSON.stringify(w[key])) };
    }
  }
  const saved: Partial<TrainConfig> = { ...(w.training?.config ?? {}) };
  delete saved.epochs;
  const base: TrainConfig = { ...settings, ...saved, cell: w.cell, activation: w.activation, hiddenSize: w.hiddenSize };
  return mergeConfig(base, override);
}

/** The one-line error when `text` uses characters the model cannot read, else undefined. */
export function vocabularyProblem(w: WeightsFile, text: string, modelName: string): string | undefined {
  const missing = new Vocabulary(w.vocab).missing(text);
  if (missing.length === 0) return undefined;
  const list = missing.map(describeChar).join(', ');
  return missing.length === 1
    ? t("The text has a character that {0} does not know: {1}. Continue training needs text made only of the model's vocabulary.", modelName, list)
    : t("The text has {0} characters that {1} does not know: {2}. Continue training needs text made only of the model's vocabulary.", missing.length, modelName, list);
}
