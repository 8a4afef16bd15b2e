// Typed arrays as base64 text, for the webview's saved state (vscode.setState takes JSON). The
// bytes are kept exactly, so NaN, ±Infinity and every bit of a float64 survive a reload, which
// a JSON number array cannot do. Runs in the webview and on the host (no Buffer, no atob).
import { t } from '../core/l10n';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const end = Math.min(bytes.length, at + CHUNK);
    let s = '';
    for (let i = at; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < end ? ALPHABET[n & 63] : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Throws RangeError on anything that is not canonical base64. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new RangeError(t('base64 length is not a multiple of 4'));
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k);
      if (last && code === 61 /* = */ && k >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = code < 128 ? DECODE[code] : -1;
      if (v < 0) throw new RangeError(t('invalid base64 character at {0}', i + k));
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

type Typed = Float64Array | Int32Array | Uint8Array;

export function encodeTyped(a: Typed): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Decodes into a fresh array of the given kind; the byte length must fit it exactly. */
export function decodeTyped<T extends Typed>(text: string, Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = base64ToBytes(text);
  if (bytes.byteLength % Kind.BYTES_PER_ELEMENT !== 0) throw new RangeError(t('{0} bytes do not divide into {1}-byte elements', bytes.byteLength, Kind.BYTES_PER_ELEMENT));
  return new Kind(bytes.buffer as ArrayBuffer);
}
