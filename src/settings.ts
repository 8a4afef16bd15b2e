// The one reader of the `rnnLab.*` settings. Ranges, enums and defaults come from the
// configuration schema in package.json, so the declaration there is the single source of truth;
// this module only turns a violation into a message that names the setting.
import packageJson from '../package.json';
import { validateConfig, ConfigError } from './core';
import type { BpttMode, TrainConfig } from './core/types';
import { countCodePoints } from './selection';
import { t } from './core/l10n';

export const SECTION = 'rnnLab';

/** The subset of JSON Schema that the settings use. */
export interface SettingSchema {
  type: 'string' | 'integer' | 'number';
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default: unknown;
}

export type SettingKey =
  | 'cell'
  | 'activation'
  | 'hiddenSize'
  | 'epochs'
  | 'learningRate'
  | 'optimizer'
  | 'bptt.mode'
  | 'bptt.k'
  | 'clip'
  | 'seed'
  | 'printEvery'
  | 'longSelectionThreshold'
  | 'playback.epochsPerSecond'
  | 'maxConcurrentRuns'
  | 'validationSplit';

export const SETTING_KEYS: readonly SettingKey[] = [
  'cell',
  'activation',
  'hiddenSize',
  'epochs',
  'learningRate',
  'optimizer',
  'bptt.mode',
  'bptt.k',
  'clip',
  'seed',
  'printEvery',
  'longSelectionThreshold',
  'playback.epochsPerSecond',
  'validationSplit',
];

const declared = packageJson.contributes.configuration.properties as Record<string, SettingSchema>;

export function settingSchema(key: SettingKey): SettingSchema {
  const schema = declared[`${SECTION}.${key}`];
  if (!schema) throw new Error(t('{0}.{1} is not declared in package.json', SECTION, key));
  return schema;
}

/** Everything a run needs from the settings, beyond the TrainConfig itself. */
export interface RunSettings {
  config: TrainConfig;
  printEvery: number;
  longSelectionThreshold: number;
  /** `rnnLab.bptt.k`, kept even in full mode because long texts switch to window mode with it. */
  windowK: number;
  /** Playback speed 1× of the panel, in epochs per second (0: start in Live). */
  epochsPerSecond: number;
}

export type SettingsResult = { ok: true; settings: RunSettings } | { ok: false; error: string; setting: string };

/** Reads a setting by its key below `rnnLab.` (VS Code: `workspace.getConfiguration('rnnLab').get`). */
export type SettingGetter = (key: SettingKey) => unknown;

/** Checks one value against its declared schema; returns the problem, or undefined when it is valid. */
export function checkSetting(key: SettingKey, value: unknown): string | undefined {
  const schema = settingSchema(key);
  const name = `${SECTION}.${key}`;
  const got = describe(value);
  if (schema.type === 'string') {
    if (typeof value !== 'string' || (schema.enum && !schema.enum.includes(value))) {
      return t('{0} must be one of {1} (got {2})', name, (schema.enum ?? []).map((v) => `"${v}"`).join(', '), got);
    }
    return undefined;
  }
  // Whole sentences per case, so a translation never has to agree with a spliced-in noun phrase.
  const integer = schema.type === 'integer';
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return integer ? t('{0} must be an integer (got {1})', name, got) : t('{0} must be a number (got {1})', name, got);
  }
  if (schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) {
    return integer ? t('{0} must be an integer > {1} (got {2})', name, schema.exclusiveMinimum, got) : t('{0} must be a number > {1} (got {2})', name, schema.exclusiveMinimum, got);
  }
  if (schema.minimum !== undefined && value < schema.minimum) {
    return integer ? t('{0} must be an integer ≥ {1} (got {2})', name, schema.minimum, got) : t('{0} must be a number ≥ {1} (got {2})', name, schema.minimum, got);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    return integer ? t('{0} must be an integer ≤ {1} (got {2})', name, schema.maximum, got) : t('{0} must be a number ≤ {1} (got {2})', name, schema.maximum, got);
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Where each TrainConfig field comes from, so a core ConfigError can name the setting. */
const FIELD_TO_SETTING: Record<string, SettingKey> = {
  cell: 'cell',
  activation: 'activation',
  hiddenSize: 'hiddenSize',
  epochs: 'epochs',
  learningRate: 'learningRate',
  optimizer: 'optimizer',
  clip: 'clip',
  seed: 'seed',
  mode: 'bptt.mode',
  'mode.kind': 'bptt.mode',
  'mode.k': 'bptt.k',
  k: 'bptt.k',
  validationSplit: 'validationSplit',
};

export function readSettings(get: SettingGetter): SettingsResult {
  const values = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    const raw = get(key);
    // An unset setting reads as undefined outside VS Code (tests, CLI); VS Code itself fills in the default.
    const value = raw === undefined ? settingSchema(key).default : raw;
    const problem = checkSetting(key, value);
    if (problem) return { ok: false, error: problem, setting: `${SECTION}.${key}` };
    values[key] = value;
  }
  const k = values['bptt.k'] as number;
  const modeKind = values['bptt.mode'] as BpttMode['kind'];
  const mode: BpttMode = modeKind === 'full' ? { kind: 'full' } : { kind: modeKind, k };
  const candidate = {
    cell: values.cell,
    activation: values.activation,
    hiddenSize: values.hiddenSize,
    epochs: values.epochs,
    learningRate: values.learningRate,
    optimizer: values.optimizer,
    clip: values.clip,
    mode,
    seed: values.seed,
    validationSplit: values.validationSplit,
  };
  let config: TrainConfig;
  try {
    config = validateConfig(candidate);
  } catch (err) {
    const { message, setting } = nameConfigError(err);
    return { ok: false, error: message, setting };
  }
  return {
    ok: true,
    settings: {
      config,
      printEvery: values.printEvery as number,
      longSelectionThreshold: values.longSelectionThreshold as number,
      windowK: k,
      epochsPerSecond: values['playback.epochsPerSecond'] as number,
    },
  };
}

/** Turns a core ConfigError into a message that starts with the setting's full name. */
export function nameConfigError(err: unknown, prefix = `${SECTION}.`): { message: string; setting: string } {
  if (err instanceof ConfigError) {
    const key = FIELD_TO_SETTING[err.field] ?? err.field;
    const setting = `${prefix}${key}`;
    // Core messages start with the field name ("hiddenSize must be …"); swap in the setting's name.
    const message = err.message.startsWith(`${err.field} `)
      ? `${setting}${err.message.slice(err.field.length)}`
      : `${setting}: ${err.message}`;
    return { message, setting };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `${prefix.replace(/\.$/, '')}: ${message}`, setting: prefix.replace(/\.$/, '') };
}

export interface RunPlan {
  config: TrainConfig;
  notes: string[];
}

/**
 * Full or truncated BPTT over a long text keeps every timestep's activations and gradients and
 * makes each epoch a single slow update, so above the threshold the run switches to window mode.
 * An explicitly requested mode (`modeExplicit`) is the caller's decision and is left alone.
 */
export function planRun(text: string, settings: RunSettings, modeExplicit = false): RunPlan {
  const length = countCodePoints(text);
  const { config } = settings;
  if (modeExplicit || config.mode.kind === 'window' || length <= settings.longSelectionThreshold) {
    return { config, notes: [] };
  }
  return {
    config: { ...config, mode: { kind: 'window', k: settings.windowK } },
    notes: [
      t(
        'The text has {0} characters, more than {1} ({2}): training in window mode with K = {3} instead of {4} mode.',
        length,
        `${SECTION}.longSelectionThreshold`,
        settings.longSelectionThreshold,
        settings.windowK,
        config.mode.kind,
      ),
    ],
  };
}

/**
 * rnnLab.maxConcurrentRuns as a count: 0 (the default) is the number of cores the host may use.
 * An invalid value falls back to that too: the limit protects the machine and must not stop
 * training; the settings editor already marks the value as out of range.
 */
export function maxConcurrentRuns(value: unknown, cores: number): number {
  const v = value === undefined ? 0 : value;
  if (checkSetting('maxConcurrentRuns', v) !== undefined || v === 0) return Math.max(1, cores);
  return v as number;
}
