// A linear pre-scan of a JSON text that bounds what JSON.parse could build from it: nesting
// depth, arrays and objects, strings and numbers. It stops at the first bound passed, so 60 MB
// of `[` costs 65 characters of work instead of the gigabytes JSON.parse spends on them. It
// does not check the syntax: JSON.parse does that afterwards, on a text known to be small.

import { WeightsError } from './errors';

export interface JsonBounds {
  depth: number;
  containers: number;
  strings: number;
  numbers: number;
}

export interface JsonCounts {
  /** Deepest nesting met; the scan stops at bounds.depth + 1. */
  depth: number;
  containers: number;
  strings: number;
  numbers: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Counts what JSON.parse would allocate; throws WeightsError naming the first bound passed (and `limitNames`' constant). */
export function scanJson(text: string, bounds: JsonBounds, limitNames: Record<keyof JsonBounds, string>): JsonCounts {
  let depth = 0;
  let maxDepth = 0;
  let containers = 0;
  let strings = 0;
  let numbers = 0;
  // The last structural character: a number starts a value only right after one of these.
  let prev = COMMA;
  const n = text.length;
  const over = (what: keyof JsonBounds, detail: string): never => {
    throw new WeightsError(`the file ${detail} (${limitNames[what]}), which no weights file written by RNN Lab has`);
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (++strings > bounds.strings) over('strings', `has more than ${bounds.strings.toLocaleString('en-US')} strings`);
      // Skip to the closing quote; indexOf runs in native code.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { depth: maxDepth, containers, strings, numbers }; // unterminated: JSON.parse will say so
        let backslashes = 0;
        for (let k = q - 1; k > i && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        if (backslashes % 2 === 0) {
          i = q;
          break;
        }
        j = q + 1;
      }
      prev = QUOTE;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > bounds.depth) over('depth', `nests arrays and objects more than ${bounds.depth} deep`);
      if (depth > maxDepth) maxDepth = depth;
      if (++containers > bounds.containers) over('containers', `has more than ${bounds.containers.toLocaleString('en-US')} arrays and objects`);
      prev = c;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      prev = c;
    } else if (c === COMMA || c === COLON) {
      prev = c;
    } else if (!isSpace(c)) {
      // A literal or a number: count numbers where a value starts, then skip the token.
      if ((c === MINUS || (c >= 0x30 && c <= 0x39)) && (prev === COMMA || prev === COLON || prev === OPEN_ARRAY)) {
        if (++numbers > bounds.numbers) over('numbers', `has more than ${bounds.numbers.toLocaleString('en-US')} numbers`);
      }
      prev = 0;
    }
  }
  return { depth: maxDepth, containers, strings, numbers };
}
