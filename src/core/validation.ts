// Held-out text: with `validationSplit` = s > 0 the last round(s·n) of the text's n code points
// are kept out of training, and every epoch reports the loss and accuracy of predicting them.

import { TextError } from './errors';
import { t } from './l10n';

/** Where a text of `chars` code points is cut. */
export interface TextSplit {
  /** Code points the trainer learns from: positions [0, trainChars). */
  trainChars: number;
  /** Code points held out: positions [trainChars, trainChars + heldOutChars), the text's end. */
  heldOutChars: number;
}

/**
 * The held-out part is the last round(split·n) code points (Math.round: halves go up), so 0.2
 * of a 46-character text holds out 9. The cut lies between two characters: every held-out
 * character is predicted from the state the training part leaves, and none of them is a training
 * input or target. Throws TextError when either side would be left without anything to predict.
 */
export function splitText(chars: number, split: number): TextSplit {
  if (split === 0) return { trainChars: chars, heldOutChars: 0 };
  const heldOutChars = Math.round(split * chars);
  if (heldOutChars < 1) {
    throw new TextError(t("validationSplit {0} holds out none of the text's {1} characters: use at least {2} or a longer text.", split, chars, Math.ceil(500 / chars) / 1000));
  }
  const trainChars = chars - heldOutChars;
  if (trainChars < 2) {
    throw new TextError(t("validationSplit {0} leaves {1} of the text's {2} characters to train on (at least 2 are needed): use a smaller split or a longer text.", split, trainChars, chars));
  }
  return { trainChars, heldOutChars };
}

/** The training part must have something to learn, like any training text. */
/** `trainIds`: the training part's vocabulary indices (one per code point). */
export function checkTrainingPart(trainIds: Iterable<number>, split: TextSplit, value: number): void {
  if (split.heldOutChars === 0) return;
  if (new Set(trainIds).size === 1) {
    throw new TextError(t('With validationSplit {0} the training part (the first {1} characters) repeats a single character: use a smaller split.', value, split.trainChars));
  }
}
