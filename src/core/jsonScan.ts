// A linear pre-scan of a JSON text that bounds what JSON.parse could build from it: nesting
// depth, arrays and objects, strings and values (numbers). It stops at the first bound passed, so 60 MB
// of `[` costs 65 characters of work instead of the gigabytes JSON.parse spends on them. It
// does not check the syntax: JSON.parse does that afterwards, on a text known to be small.

import { WeightsError } from './errors';
import { t } from './l10n';

export interface JsonBounds {
  depth: number;
  containers: number;
  strings: number;
  numbers: number;
}

export interface JsonCounts {
  /** Deepest nesting met; the scan stops at bounds.depth + 1. `numbers` counts values (an upper bound on the numbers). */
  depth: number;
  containers: number;
  strings: number;
  numbers: number;
}

const BACKSLASH = 0x5c;
/** The characters that open or close something; everything between them is skipped by indexOf. */
const STRUCTURE = ['"', '[', '{', ']', '}'] as const;
/** indexOf's −1 as an unsigned position: after every real one. */
const NONE = 0xffffffff;

/**
 * Counts what JSON.parse would allocate; throws WeightsError naming the first bound passed (and
 * `limitNames`' constant). Values are counted as commas plus one per container, an upper bound on
 * the numbers: the scan then needs no look at the digits, and `indexOf` walks the long runs of
 * numbers (a valid 55 MB file scans in a small fraction of its JSON.parse time).
 */
export function scanJson(text: string, bounds: JsonBounds, limitNames: Record<keyof JsonBounds, string>): JsonCounts {
  let depth = 0;
  let maxDepth = 0;
  let containers = 0;
  let strings = 0;
  let numbers = 0;
  // Whole sentences per bound, so a translation can order its words freely.
  const over = (what: keyof JsonBounds): never => {
    const limit = limitNames[what];
    const bound = what === 'depth' ? String(bounds.depth) : bounds[what].toLocaleString('en-US');
    const sentences: Record<keyof JsonBounds, () => string> = {
      numbers: () => t('the file has more than {0} numbers ({1}), which no weights file written by RNN Lab has', bound, limit),
      strings: () => t('the file has more than {0} strings ({1}), which no weights file written by RNN Lab has', bound, limit),
      depth: () => t('the file nests arrays and objects more than {0} deep ({1}), which no weights file written by RNN Lab has', bound, limit),
      containers: () => t('the file has more than {0} arrays and objects ({1}), which no weights file written by RNN Lab has', bound, limit),
    };
    throw new WeightsError(sentences[what]());
  };
  // n values need at least 2n − 1 characters, so a shorter text cannot pass the bound on numbers.
  const mustCount = text.length >= 2 * bounds.numbers;
  // The next comma at or after the last search: each comma is found once, so a text with few
  // commas and many structural characters does not search the same stretch again and again.
  let nextComma = -1;
  const countCommas = (from: number, to: number) => {
    if (!mustCount) return;
    if (nextComma < from) nextComma = text.indexOf(',', from) >>> 0; // -1 becomes 2^32 − 1: none
    while (nextComma < to) {
      if (++numbers > bounds.numbers) over('numbers');
      nextComma = text.indexOf(',', nextComma + 1) >>> 0;
    }
  };
  // The next occurrence of each structural character at or after the last search, as for commas.
  const next = STRUCTURE.map(() => -1);
  let pos = 0;
  for (;;) {
    let at = NONE;
    let kind = -1;
    for (let k = 0; k < STRUCTURE.length; k++) {
      if (next[k] < pos) next[k] = text.indexOf(STRUCTURE[k], pos) >>> 0;
      if (next[k] < at) {
        at = next[k];
        kind = k;
      }
    }
    countCommas(pos, at === NONE ? text.length : at);
    if (kind < 0) break;
    const c = STRUCTURE[kind];
    if (c === '"') {
      if (++strings > bounds.strings) over('strings');
      // The closing quote is the first one not escaped by an odd run of backslashes.
      let q = text.indexOf('"', at + 1);
      for (;;) {
        if (q < 0) return { depth: maxDepth, containers, strings, numbers }; // unterminated: JSON.parse will say so
        let backslashes = 0;
        for (let k = q - 1; k > at && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        q = text.indexOf('"', q + 1);
      }
      pos = q + 1;
    } else if (c === '[' || c === '{') {
      if (++depth > bounds.depth) over('depth');
      if (depth > maxDepth) maxDepth = depth;
      if (++containers > bounds.containers) over('containers');
      // The first value of a container has no comma before it.
      if (++numbers > bounds.numbers) over('numbers');
      pos = at + 1;
    } else {
      depth--;
      pos = at + 1;
    }
  }
  return { depth: maxDepth, containers, strings, numbers };
}
