import { codePoints } from './vocab';
import { TextError } from './errors';
import { t } from './l10n';

/**
 * Rejects texts there is nothing to learn from. The model predicts each next character, so it
 * needs at least two characters and at least two distinct ones (with one distinct character the
 * answer is known without training and every gradient is trivially zero after a few steps).
 */
export function checkTrainingText(text: string): void {
  const cps = codePoints(text);
  if (cps.length === 0) throw new TextError(t('The text is empty: select some text to train on.'));
  if (cps.length === 1) throw new TextError(t('The text has only one character: a model needs at least two to learn a next character.'));
  if (new Set(cps).size === 1) {
    throw new TextError(t('The text repeats a single character ({0}): there is nothing to learn. Select text with at least two different characters.', JSON.stringify(cps[0])));
  }
}
