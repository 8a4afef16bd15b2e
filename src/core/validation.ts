// Held-out text: with `validationSplit` = s > 0 the last round(s·n) of the text's n code points
// are kept out of training, and every epoch reports the loss and accuracy of predicting them.

import { TextError } from './errors';

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
    throw new TextError(`validationSplit ${split} holds out none of the text's ${chars} characters: use at least ${Math.ceil((500 / chars)) / 1000} or a longer text.`);
  }
  const trainChars = chars - heldOutChars;
  if (trainChars < 2) {
    throw new TextError(`validationSplit ${split} leaves ${trainChars} of the text's ${chars} characters to train on (at least 2 are needed): use a smaller split or a longer text.`);
  }
  return { trainChars, heldOutChars };
}

/** The training part must have something to learn, like any training text. */
export function checkTrainingPart(trainChars: readonly string[], split: TextSplit, value: number): void {
  if (split.heldOutChars === 0) return;
  if (new Set(trainChars).size === 1) {
    throw new TextError(`With validationSplit ${value} the training part (the first ${split.trainChars} characters) repeats a single character: use a smaller split.`);
  }
}
