// The trainer core's public surface. No vscode, no Node imports below this folder.
export * from './types';
export { TextError, ConfigError, WeightsError, LimitError } from './errors';
export * from './limits';
export { codePoints, Vocabulary, describeChar } from './vocab';
export { checkTrainingText, type TextCounts } from './text';
export { validateConfig, LIMITS, CELLS, ACTIVATIONS, OPTIMIZERS, SUPPORTED_CELLS } from './config';
export { Trainer, GRAD_MATRIX_MAX_STEPS, type EpochInspection, type EpochInspectOptions } from './trainer';
export { TrainingLoop, divergenceMessage, type LoopHandlers, type LoopOptions } from './loop';
export { parseWeights, validateWeights, serializeWeights, WEIGHTS_FORMAT, WEIGHTS_VERSION, type WeightsFile, type TrainingSummary } from './weights';
export { sample, type SampleOptions } from './sample';
export { parameterShapes } from './model';
export { Optimizer, clipGlobalNorm, OPTIMIZER_DEFAULTS, type OptimizerState } from './optimizers';
export { formatSeedLine, escapeControls, SEED_LINE_MAX_CHARS, type SeedLineOptions } from './format';
export { SigmaMaxSolver } from './spectral';
export { deriveShrink, REACH_FRACTION, type ShrinkFields } from './why';
export {
  inspectWeights,
  inspectSequence,
  InspectedSequence,
  checkInspectSize,
  GATE_NAMES,
  INSPECT_MAX_STEPS,
  INSPECT_MAX_VALUES,
  INSPECT_DEFAULT_TOP,
  type Inspection,
  type InspectOptions,
  type TopK,
  type Connectivity,
  type NetWeights,
} from './inspect';
export { splitText, type TextSplit } from './validation';
export {
  gradCheck,
  gradCheckSequence,
  compareGradients,
  GRADCHECK_MAX_STEPS,
  GRADCHECK_DEFAULT_SAMPLES,
  GRADCHECK_MAX_SAMPLES,
  GRADCHECK_STEP,
  GRADCHECK_FLOOR,
  type GradCheckOptions,
  type GradCheckReport,
  type ParamCheck,
} from './gradcheck';
