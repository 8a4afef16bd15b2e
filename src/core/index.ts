// The trainer core's public surface. No vscode, no Node imports below this folder.
export * from './types';
export { TextError, ConfigError, WeightsError } from './errors';
export { codePoints, Vocabulary, describeChar } from './vocab';
export { checkTrainingText } from './text';
export { validateConfig, LIMITS, CELLS, ACTIVATIONS, OPTIMIZERS, SUPPORTED_CELLS } from './config';
export { Trainer, GRAD_MATRIX_MAX_STEPS } from './trainer';
export { TrainingLoop, divergenceMessage, type LoopHandlers, type LoopOptions } from './loop';
export { parseWeights, validateWeights, serializeWeights, WEIGHTS_FORMAT, WEIGHTS_VERSION, MAX_WEIGHTS_BYTES, type WeightsFile, type TrainingSummary } from './weights';
export { sample, type SampleOptions } from './sample';
export { parameterShapes } from './model';
export { Optimizer, clipGlobalNorm, OPTIMIZER_DEFAULTS, type OptimizerState } from './optimizers';
export { formatSeedLine, SEED_LINE_MAX_CHARS, type SeedLineOptions } from './format';
export { SigmaMaxSolver } from './spectral';
export { deriveShrink, REACH_FRACTION, type ShrinkFields } from './why';
