// Runtime checks for everything that reaches the host from outside its own code: webview
// messages, the state a webview persisted before a reload, and command arguments. A webview is
// untrusted input (it renders user text), so nothing from it is used before passing here.
import { validateConfig, ConfigError } from '../core';
import type { EpochMetrics, TrainConfig } from '../core/types';
import type { ControlAction, RunInfo, RunState, WebviewToHost } from './protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string): never {
  throw new Invalid(message);
}

/** The object must have exactly the `required` keys plus any of `optional`. */
function exactKeys(v: Obj, where: string, required: readonly string[], optional: readonly string[] = []): void {
  for (const key of required) if (!(key in v)) fail(`${where}: missing field "${key}"`);
  for (const key of Object.keys(v)) {
    if (!required.includes(key) && !optional.includes(key)) fail(`${where}: unexpected field "${key}"`);
  }
}

function wrap<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    if (err instanceof ConfigError) return { ok: false, error: configMessage(err) };
    throw err;
  }
}

function configMessage(err: ConfigError): string {
  return err.message.startsWith(`${err.field} `) ? `config.${err.message}` : `config.${err.field}: ${err.message}`;
}

const CONFIG_KEYS = ['cell', 'activation', 'hiddenSize', 'epochs', 'learningRate', 'optimizer', 'clip', 'mode', 'seed'] as const;
const CONTROL_ACTIONS: readonly ControlAction[] = ['pause', 'resume', 'step', 'stop'];
const RUN_STATES: readonly RunState[] = ['starting', 'running', 'paused', 'stopped', 'done', 'diverged', 'crashed'];

function trainConfig(v: unknown): TrainConfig {
  if (!isObject(v)) fail('config must be an object');
  exactKeys(v, 'config', CONFIG_KEYS);
  if (isObject(v.mode)) exactKeys(v.mode, 'config.mode', ['kind'], ['k']);
  return validateConfig(v);
}

/** A complete TrainConfig from an untrusted source: no missing or unknown fields, every value in range. */
export function parseTrainConfig(v: unknown): Parsed<TrainConfig> {
  return wrap(() => trainConfig(v));
}

function finiteNumber(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${where} must be a finite number`);
  return v;
}

function nonNegativeInteger(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${where} must be a non-negative integer`);
  return v;
}

export function parseWebviewMessage(v: unknown): Parsed<WebviewToHost> {
  return wrap((): WebviewToHost => {
    if (!isObject(v)) fail('message must be an object');
    switch (v.type) {
      case 'ready':
        exactKeys(v, 'ready', ['type']);
        return { type: 'ready' };
      case 'control':
        exactKeys(v, 'control', ['type', 'action']);
        if (!CONTROL_ACTIONS.includes(v.action as ControlAction)) fail(`control: unknown action ${JSON.stringify(v.action)}`);
        return { type: 'control', action: v.action as ControlAction };
      case 'restart':
        exactKeys(v, 'restart', ['type', 'config']);
        return { type: 'restart', config: trainConfig(v.config) };
      case 'exportWeights':
        exactKeys(v, 'exportWeights', ['type']);
        return { type: 'exportWeights' };
      case 'exportMetrics':
        exactKeys(v, 'exportMetrics', ['type', 'format']);
        if (v.format !== 'csv' && v.format !== 'json') fail(`exportMetrics: format must be "csv" or "json"`);
        return { type: 'exportMetrics', format: v.format };
      case 'requestMatrix':
        exactKeys(v, 'requestMatrix', ['type', 'epoch']);
        return { type: 'requestMatrix', epoch: nonNegativeInteger(v.epoch, 'requestMatrix: epoch') };
      default:
        return fail(`unknown message type ${JSON.stringify(v.type)}`);
    }
  });
}

function numberArray(v: unknown, where: string): number[] {
  if (!Array.isArray(v)) fail(`${where} must be an array`);
  for (const x of v) finiteNumber(x, `${where}[]`);
  return v as number[];
}

function stringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${where} must be an array of strings`);
  return v as string[];
}

function epochMetrics(v: unknown, where: string): EpochMetrics {
  if (!isObject(v)) fail(`${where} must be an object`);
  if (typeof v.predicted !== 'string') fail(`${where}.predicted must be a string`);
  if (!isObject(v.paramGradNorm)) fail(`${where}.paramGradNorm must be an object`);
  for (const [name, n] of Object.entries(v.paramGradNorm)) finiteNumber(n, `${where}.paramGradNorm.${name}`);
  const m: EpochMetrics = {
    epoch: nonNegativeInteger(v.epoch, `${where}.epoch`),
    loss: finiteNumber(v.loss, `${where}.loss`),
    accuracy: finiteNumber(v.accuracy, `${where}.accuracy`),
    predicted: v.predicted,
    gradNorm: numberArray(v.gradNorm, `${where}.gradNorm`),
    lastLossGradNorm: numberArray(v.lastLossGradNorm, `${where}.lastLossGradNorm`),
    paramGradNorm: v.paramGradNorm as Record<string, number>,
    sigmaMaxWhh: finiteNumber(v.sigmaMaxWhh, `${where}.sigmaMaxWhh`),
  };
  if (v.cellGradNorm !== undefined) m.cellGradNorm = numberArray(v.cellGradNorm, `${where}.cellGradNorm`);
  if (v.lastLossCellGradNorm !== undefined) m.lastLossCellGradNorm = numberArray(v.lastLossCellGradNorm, `${where}.lastLossCellGradNorm`);
  if (v.clipped !== undefined) {
    if (typeof v.clipped !== 'boolean') fail(`${where}.clipped must be a boolean`);
    m.clipped = v.clipped;
  }
  return m;
}

function runInfo(v: unknown): RunInfo {
  if (!isObject(v)) fail('run must be an object');
  if (typeof v.runId !== 'string' || v.runId.length === 0) fail('run.runId must be a non-empty string');
  if (typeof v.title !== 'string') fail('run.title must be a string');
  const chars = stringArray(v.chars, 'run.chars');
  if (chars.length < 2) fail('run.chars must hold at least two characters');
  const printEvery = nonNegativeInteger(v.printEvery, 'run.printEvery');
  if (printEvery < 1) fail('run.printEvery must be at least 1');
  return {
    runId: v.runId,
    title: v.title,
    chars,
    config: trainConfig(v.config),
    firstEpoch: nonNegativeInteger(v.firstEpoch, 'run.firstEpoch'),
    steps: nonNegativeInteger(v.steps, 'run.steps'),
    stepLabels: stringArray(v.stepLabels, 'run.stepLabels'),
    printEvery,
    notes: stringArray(v.notes, 'run.notes'),
  };
}

/** What a panel's webview keeps in `setState` and VS Code hands back to the serializer after a reload. */
export interface PersistedRun {
  run: RunInfo;
  history: EpochMetrics[];
  state: RunState;
  message?: string;
}

/**
 * Extra keys are allowed at the top level: the webview stores its own UI state (selected tab,
 * zoom) next to the run. The run and its history must be complete and consistent.
 */
export function parsePersistedRun(v: unknown): Parsed<PersistedRun> {
  return wrap((): PersistedRun => {
    if (!isObject(v)) fail('state must be an object');
    const run = runInfo(v.run);
    if (!Array.isArray(v.history)) fail('history must be an array');
    const history = v.history.map((m, i) => epochMetrics(m, `history[${i}]`));
    for (let i = 1; i < history.length; i++) {
      if (history[i].epoch <= history[i - 1].epoch) fail(`history[${i}].epoch is not after the previous epoch`);
    }
    const state = v.state === undefined ? 'stopped' : v.state;
    if (!RUN_STATES.includes(state as RunState)) fail(`state must be one of ${RUN_STATES.join(', ')}`);
    if (v.message !== undefined && typeof v.message !== 'string') fail('message must be a string');
    return { run, history, state: state as RunState, message: v.message as string | undefined };
  });
}

/** Argument of `rnnLab.trainOnSelection` when called by tests or other extensions. */
export interface TrainArgs {
  text?: string;
  config?: Partial<TrainConfig>;
}

export function parseTrainArgs(v: unknown): Parsed<TrainArgs> {
  return wrap((): TrainArgs => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) fail('the argument must be an object { text?, config? }');
    exactKeys(v, 'argument', [], ['text', 'config']);
    const out: TrainArgs = {};
    if (v.text !== undefined) {
      if (typeof v.text !== 'string') fail('argument.text must be a string');
      out.text = v.text;
    }
    if (v.config !== undefined) {
      if (!isObject(v.config)) fail('argument.config must be an object');
      exactKeys(v.config, 'argument.config', [], CONFIG_KEYS);
      out.config = v.config as Partial<TrainConfig>;
    }
    return out;
  });
}

/** Merges a partial config over a complete one and validates the result, naming bad fields as `config.<field>`. */
export function mergeConfig(base: TrainConfig, override: Partial<TrainConfig>): Parsed<TrainConfig> {
  return wrap(() => trainConfig({ ...base, ...override }));
}
