import { distinctCodePoints } from './vocab';
import { TextError } from './errors';
import { t } from './l10n';

/**
 * Rejects texts there is nothing to learn from. The model predicts each next character, so it
 * needs at least two characters and at least two distinct ones (with one distinct character the
 * answer is known without training and every gradient is trivially zero after a few steps).
 */
/** What checkTrainingText counted: code points and distinct code points (the run limits need both). */
export interface TextCounts {
  chars: number;
  distinct: number;
}

export function checkTrainingText(text: string): TextCounts {
  const { count, distinct: set } = distinctCodePoints(text);
  if (count === 0) throw new TextError(t('The text is empty: select some text to train on.'));
  if (count === 1) throw new TextError(t('The text has only one character: a model needs at least two to learn a next character.'));
  // Half of a surrogate pair is no character: the weights file could not hold it (nor UTF-8).
  const lone = /[\uD800-\uDFFF]/u.exec(text);
  if (lone) {
    throw new TextError(t("The text has a lone surrogate (U+{0}) at UTF-16 offset {1}, half of a character: fix the text's encoding.", lone[0].charCodeAt(0).toString(16).toUpperCase(), lone.index));
  }
  const distinct = set.size;
  if (distinct === 1) {
    throw new TextError(t('The text repeats a single character ({0}): there is nothing to learn. Select text with at least two different characters.', JSON.stringify(String.fromCodePoint(set.values().next().value!))));
  }
  return { chars: count, distinct };
}
