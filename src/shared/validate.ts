// Runtime checks for everything that reaches the host from outside its own code: webview
// messages and command arguments (a webview's saved state is checked in persist.ts). A webview is
// untrusted input (it renders user text), so nothing from it is used before passing here.
import { validateConfig } from '../core/config';
import type { TrainConfig } from '../core/types';
import { checkPanelView } from '../lessons/info';
import { exactKeys, fail, finiteNumber, isObject, nonNegativeInteger, wrap, type Obj, type Parsed } from './check';
import type { ControlAction, PanelRequest, WebviewToHost } from './protocol';
import { t } from '../core/l10n';

export type { Parsed } from './check';

/** Runs a check and returns its result or its one-line failure. */
export function wrapCheck<T>(fn: () => T): Parsed<T> {
  return wrap(fn);
}

const CONFIG_KEYS = ['cell', 'activation', 'hiddenSize', 'epochs', 'learningRate', 'optimizer', 'clip', 'mode', 'seed'] as const;
/** Present only when a held-out part is on (the core leaves it out at 0). */
const OPTIONAL_CONFIG_KEYS = ['validationSplit'] as const;
/** h, c and the gates of the LSTM (i f g o) and the GRU (r z n): the arrays a unit can be picked in. */
const INSIDE_ARRAYS: readonly string[] = ['h', 'c', 'i', 'f', 'g', 'o', 'r', 'z', 'n'];
const CONTROL_ACTIONS: readonly ControlAction[] = ['pause', 'resume', 'step', 'stop'];

function trainConfig(v: unknown): TrainConfig {
  if (!isObject(v)) fail(t('config must be an object'));
  exactKeys(v, 'config', CONFIG_KEYS, OPTIONAL_CONFIG_KEYS);
  if (isObject(v.mode)) exactKeys(v.mode, 'config.mode', ['kind'], ['k']);
  return validateConfig(v);
}

/** A complete TrainConfig from an untrusted source: no missing or unknown fields, every value in range. */
export function parseTrainConfig(v: unknown): Parsed<TrainConfig> {
  return wrap(() => trainConfig(v));
}

export function parseWebviewMessage(v: unknown): Parsed<WebviewToHost> {
  return wrap((): WebviewToHost => {
    if (!isObject(v)) fail(t('message must be an object'));
    switch (v.type) {
      case 'ready':
        exactKeys(v, 'ready', ['type']);
        return { type: 'ready' };
      case 'control':
        exactKeys(v, 'control', ['type', 'action']);
        if (!CONTROL_ACTIONS.includes(v.action as ControlAction)) fail(t('control: unknown action {0}', JSON.stringify(v.action)));
        return { type: 'control', action: v.action as ControlAction };
      case 'restart':
        exactKeys(v, 'restart', ['type', 'config']);
        return { type: 'restart', config: trainConfig(v.config) };
      case 'playhead': {
        exactKeys(v, 'playhead', ['type', 'epoch', 'scale']);
        const epoch = nonNegativeInteger(v.epoch, 'playhead: epoch');
        if (v.scale === null) return { type: 'playhead', epoch, scale: null };
        if (!isObject(v.scale)) fail(t('playhead: scale must be an object or null'));
        exactKeys(v.scale, 'playhead.scale', ['lo', 'hi']);
        const lo = finiteNumber(v.scale.lo, 'playhead.scale.lo');
        const hi = finiteNumber(v.scale.hi, 'playhead.scale.hi');
        if (hi < lo) fail(t('playhead.scale: hi must not be below lo'));
        return { type: 'playhead', epoch, scale: { lo, hi } };
      }
      case 'overlay':
        exactKeys(v, 'overlay', ['type', 'on']);
        if (typeof v.on !== 'boolean') fail(t('overlay: on must be a boolean'));
        return { type: 'overlay', on: v.on };
      case 'insideUnit': {
        exactKeys(v, 'insideUnit', ['type', 'unit', 'array', 'position']);
        const unit = v.unit === null ? null : nonNegativeInteger(v.unit, 'insideUnit: unit');
        if (typeof v.array !== 'string' || !INSIDE_ARRAYS.includes(v.array)) fail(t('insideUnit: array must be one of {0}', INSIDE_ARRAYS.join(', ')));
        return { type: 'insideUnit', unit, array: v.array, position: nonNegativeInteger(v.position, 'insideUnit: position') };
      }
      case 'view':
        exactKeys(v, 'view', ['type', 'view']);
        return { type: 'view', view: checkPanelView(v.view, 'view.view') };
      case 'request':
        return panelRequest(v);
      case 'reply':
        return reply(v);
      default:
        return fail(t('unknown message type {0}', JSON.stringify(v.type)));
    }
  });
}

/** Largest PNG a panel may hand over (base64 characters: 48 MB of text, 36 MB of image). */
export const MAX_FIGURE_BASE64 = 48 * 1024 * 1024;
/** A figure's name: letters, digits and dashes (it becomes part of a file name). */
const FIGURE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function figureName(v: unknown, where: string): string {
  if (typeof v !== 'string' || !FIGURE_NAME.test(v)) fail(t('{0}: figure must be a short lower-case name', where));
  return v;
}

/** A rendered figure from the webview: base64 of a PNG within the size limit, with its pixel size. */
export function renderedFigure(v: Obj, where: string): { png: string; width: number; height: number } {
  if (typeof v.png !== 'string' || v.png.length === 0 || v.png.length > MAX_FIGURE_BASE64 || v.png.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v.png)) {
    fail(t('{0}: png must be base64 of at most {1} characters', where, MAX_FIGURE_BASE64));
  }
  // A PNG starts with the 8-byte signature 89 50 4E 47 0D 0A 1A 0A, "iVBORw0KGgo" in base64.
  if (!v.png.startsWith('iVBORw0KGgo')) fail(t('{0}: png is not a PNG image', where));
  const width = nonNegativeInteger(v.width, `${where}: width`);
  const height = nonNegativeInteger(v.height, `${where}: height`);
  if (width === 0 || height === 0 || width > 32_768 || height > 32_768) fail(t('{0}: width and height must be 1–32768', where));
  return { png: v.png, width, height };
}

/** A reply to a host request; its value is checked by whoever asked (see PanelBase). */
function reply(v: Obj): WebviewToHost {
  const id = nonNegativeInteger(v.id, 'reply: id');
  if (v.ok === true) {
    exactKeys(v, 'reply', ['type', 'id', 'ok', 'value']);
    return { type: 'reply', id, ok: true, value: v.value };
  }
  exactKeys(v, 'reply', ['type', 'id', 'ok', 'error']);
  if (v.ok !== false || typeof v.error !== 'string') fail(t('reply: ok must be true with a value, or false with an error'));
  return { type: 'reply', id, ok: false, error: v.error.slice(0, 2000) };
}

/** Longest prediction window a panel may ask for at once. */
export const MAX_PREDICTION_WINDOW = 100_000;

function params(v: Obj, where: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (!isObject(v.params)) fail(t('{0}: params must be an object', where));
  exactKeys(v.params, `${where}.params`, required, optional);
  return v.params;
}

function panelRequest(v: Obj): PanelRequest {
  exactKeys(v, 'request', ['type', 'id', 'kind', 'params']);
  const id = nonNegativeInteger(v.id, 'request: id');
  const where = `request ${JSON.stringify(v.kind)}`;
  switch (v.kind) {
    case 'matrix': {
      const p = params(v, where, ['epoch']);
      return { type: 'request', id, kind: 'matrix', params: { epoch: nonNegativeInteger(p.epoch, `${where}: epoch`) } };
    }
    case 'prediction': {
      const p = params(v, where, ['epoch', 'start', 'length']);
      const length = nonNegativeInteger(p.length, `${where}: length`);
      if (length > MAX_PREDICTION_WINDOW) fail(t('{0}: length is above {1}', where, MAX_PREDICTION_WINDOW));
      return { type: 'request', id, kind: 'prediction', params: { epoch: nonNegativeInteger(p.epoch, `${where}: epoch`), start: nonNegativeInteger(p.start, `${where}: start`), length } };
    }
    case 'saveFigure': {
      const p = params(v, where, ['figure', 'png', 'width', 'height']);
      return { type: 'request', id, kind: 'saveFigure', params: { figure: figureName(p.figure, where), ...renderedFigure(p, where) } };
    }
    // Inside the network: the positions are checked against the run by the core (one-line messages).
    case 'inspect': {
      const p = params(v, where, ['epoch'], ['position']);
      const position = p.position === undefined ? {} : { position: nonNegativeInteger(p.position, `${where}: position`) };
      return { type: 'request', id, kind: 'inspect', params: { epoch: nonNegativeInteger(p.epoch, `${where}: epoch`), ...position } };
    }
    case 'connectivity': {
      const p = params(v, where, ['epoch', 't'], ['position']);
      const position = p.position === undefined ? {} : { position: nonNegativeInteger(p.position, `${where}: position`) };
      return { type: 'request', id, kind: 'connectivity', params: { epoch: nonNegativeInteger(p.epoch, `${where}: epoch`), t: nonNegativeInteger(p.t, `${where}: t`), ...position } };
    }
    case 'gradCheck':
      params(v, where, []);
      return { type: 'request', id, kind: 'gradCheck', params: {} };
    case 'compareConnectivity': {
      const p = params(v, where, ['epoch', 't']);
      return { type: 'request', id, kind: 'compareConnectivity', params: { epoch: nonNegativeInteger(p.epoch, `${where}: epoch`), t: nonNegativeInteger(p.t, `${where}: t`) } };
    }
    case 'exportWeights':
      params(v, where, []);
      return { type: 'request', id, kind: 'exportWeights', params: {} };
    case 'exportMetrics': {
      const p = params(v, where, ['format']);
      if (p.format !== 'csv' && p.format !== 'json') fail(t('{0}: format must be "csv" or "json"', where));
      return { type: 'request', id, kind: 'exportMetrics', params: { format: p.format } };
    }
    default:
      return fail(t('unknown request kind {0}', JSON.stringify(v.kind)));
  }
}

/** Argument of `rnnLab.trainOnSelection` when called by tests or other extensions. */
export interface TrainArgs {
  text?: string;
  config?: Partial<TrainConfig>;
  /** When rnnLab.maxConcurrentRuns runs already train: ask (the default), queue, or stop the oldest. */
  whenBusy?: WhenBusy;
}

export type WhenBusy = 'ask' | 'wait' | 'stopOldest';
const WHEN_BUSY: readonly WhenBusy[] = ['ask', 'wait', 'stopOldest'];

export function parseTrainArgs(v: unknown): Parsed<TrainArgs> {
  return wrap((): TrainArgs => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) fail(t('the argument must be an object {0}', '{ text?, config? }'));
    exactKeys(v, 'argument', [], ['text', 'config', 'whenBusy']);
    const out: TrainArgs = {};
    if (v.whenBusy !== undefined) {
      if (!WHEN_BUSY.includes(v.whenBusy as WhenBusy)) fail(t('argument.whenBusy must be one of {0}', WHEN_BUSY.map((w) => `"${w}"`).join(', ')));
      out.whenBusy = v.whenBusy as WhenBusy;
    }
    if (v.text !== undefined) {
      if (typeof v.text !== 'string') fail(t('argument.text must be a string'));
      out.text = v.text;
    }
    if (v.config !== undefined) {
      if (!isObject(v.config)) fail(t('argument.config must be an object'));
      exactKeys(v.config, 'argument.config', [], [...CONFIG_KEYS, ...OPTIONAL_CONFIG_KEYS]);
      out.config = v.config as Partial<TrainConfig>;
    }
    return out;
  });
}

/** Merges a partial config over a complete one and validates the result, naming bad fields as `config.<field>`. */
export function mergeConfig(base: TrainConfig, override: Partial<TrainConfig>): Parsed<TrainConfig> {
  return wrap(() => trainConfig({ ...base, ...override }));
}

/** Argument of `rnnLab.toggleEditorGradients`: which run's panel (default: the editor's, else the active run) and, optionally, on or off instead of a toggle. */
export interface ToggleOverlayArgs {
  runId?: string;
  on?: boolean;
  /** Colour by this unit of "Inside the network" (null: back to the gradients); picked in the panel too. */
  unit?: number | null;
  /** The unit's array: h (default), c or a gate name. */
  array?: string;
}

export function parseToggleOverlayArgs(v: unknown): Parsed<ToggleOverlayArgs> {
  return wrap((): ToggleOverlayArgs => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) fail(t('the argument must be an object {0}', '{ runId?, on?, unit?, array? }'));
    exactKeys(v, 'argument', [], ['runId', 'on', 'unit', 'array']);
    if (v.runId !== undefined && typeof v.runId !== 'string') fail(t('argument.runId must be a string'));
    if (v.on !== undefined && typeof v.on !== 'boolean') fail(t('argument.on must be true or false'));
    if (v.unit !== undefined && v.unit !== null) nonNegativeInteger(v.unit, 'argument.unit');
    if (v.array !== undefined && (typeof v.array !== 'string' || !INSIDE_ARRAYS.includes(v.array))) fail(t('argument.array must be one of {0}', INSIDE_ARRAYS.join(', ')));
    if (v.array !== undefined && v.unit === undefined) fail(t('argument.array needs argument.unit'));
    return {
      ...(v.runId === undefined ? {} : { runId: v.runId as string }),
      ...(v.on === undefined ? {} : { on: v.on as boolean }),
      ...(v.unit === undefined ? {} : { unit: v.unit as number | null }),
      ...(v.array === undefined ? {} : { array: v.array as string }),
    };
  });
}
