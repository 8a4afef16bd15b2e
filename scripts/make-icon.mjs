// Writes media/icon.png (128×128), the extension's icon: a gradient-norm heatmap in viridis whose
// rows fade from right to left, the picture the panel shows when gradients vanish through time.
// Run once by hand (`node scripts/make-icon.mjs`); the PNG is committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const CELLS = 8;
const GAP = 2;
// viridis at 0, 0.25, 0.5, 0.75, 1
const stops = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function viridis(v) {
  const x = Math.min(1, Math.max(0, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
}

const cell = (SIZE - GAP * (CELLS + 1)) / CELLS;
const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let x = 0; x < SIZE; x++) {
    const cx = Math.floor((x - GAP) / (cell + GAP));
    const cy = Math.floor((y - GAP) / (cell + GAP));
    const inside = cx >= 0 && cy >= 0 && cx < CELLS && cy < CELLS && (x - GAP) % (cell + GAP) < cell && (y - GAP) % (cell + GAP) < cell;
    let rgba = [0, 0, 0, 0];
    if (inside && cx <= cy) {
      // ‖∂L_t/∂h_k‖ for k ≤ t: strongest on the diagonal, decaying with the distance t − k.
      const v = Math.pow(0.62, cy - cx) * (0.75 + 0.25 * (cy / (CELLS - 1)));
      rgba = [...viridis(v), 255];
    }
    row.set(rgba, 1 + x * 4);
  }
  rows.push(row);
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let c = ~0;
  for (const b of body) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(~c >>> 0);
  return Buffer.concat([len, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
