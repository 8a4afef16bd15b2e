// Errors whose message is written for the user: one line, naming the problem.

/** The training text cannot be learned (too short, or nothing to predict). */
export class TextError extends Error {
  override readonly name = 'TextError';
}

/** A hyperparameter is out of range; `field` names it (e.g. "hiddenSize"). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A weights file is malformed; the message says what is wrong and where. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
}
