// Errors whose message is written for the user: one line, naming the problem.

/** The training text cannot be learned (too short, or nothing to predict). */
export class TextError extends Error {
  override readonly name: string = 'TextError';
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

/**
 * A run or a file goes past one of the limits in limits.ts. `limit` names the constant. It is a
 * TextError so that every caller that already reports bad training input one line at a time
 * (CLI exit 2, the commands' error message) reports this the same way.
 */
export class LimitError extends TextError {
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(message);
  }
}
