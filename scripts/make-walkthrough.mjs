// Makes the Get Started walkthrough's media from what the UI scenarios saw, so the pictures stay
// true to the panel: crops of the screenshots in test-artifacts/ui/ (run `node scripts/test.mjs
// --only ui` first) written to media/walkthrough/, and the PyTorch step's Markdown pages, English
// (pytorch.md) and Korean (pytorch.ko.md, which package.nls.ko.json names for that step), both cut
// from the README's snippet. `--markdown` writes only the pages (no screenshots needed). PNGs are decoded and encoded here with zlib (8-bit RGB/RGBA, not interlaced:
// what Chromium writes), so nothing beyond Node is needed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(root, 'test-artifacts', 'ui');
const out = join(root, 'media', 'walkthrough');

/** Each image: the screenshot it comes from and the part kept ([x, y, width, height] in pixels; none: all). */
const IMAGES = [
  { name: 'open-sample.png', from: 'watch-first-screen-dark.png', crop: [0, 0, 1440, 560] },
  { name: 'vanishing.png', from: 'watch-first-screen-dark-end.png', crop: [745, 40, 695, 480] },
  { name: 'why.png', from: 'lessons-why.png' },
  { name: 'compare.png', from: 'lessons-compare.png', crop: [0, 360, 541, 438] },
  { name: 'export.png', from: 'watch-first-screen-dark-end.png', crop: [745, 40, 695, 100] },
  { name: 'lesson.png', from: 'lessons-panel.png', crop: [0, 0, 541, 430] },
];

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function decode(file) {
  const buf = readFileSync(file);
  let pos = 8;
  let width = 0, height = 0, channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8);
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) throw new Error(`${file}: only 8-bit RGB/RGBA non-interlaced PNGs are handled`);
      channels = colour === 2 ? 3 : 4;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, px };
}

function encode({ width, height, channels, px }) {
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) px.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 3 ? 2 : 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function crop(img, [x0, y0, w, h]) {
  const width = Math.min(w, img.width - x0);
  const height = Math.min(h, img.height - y0);
  const px = Buffer.alloc(width * height * img.channels);
  for (let y = 0; y < height; y++) img.px.copy(px, y * width * img.channels, ((y0 + y) * img.width + x0) * img.channels, ((y0 + y) * img.width + x0 + width) * img.channels);
  return { width, height, channels: img.channels, px };
}

/** The PyTorch page in each display language: its file, heading and introduction before the README's snippet. */
const PYTORCH_PAGES = [
  {
    file: 'pytorch.md',
    heading: 'Open the weights in PyTorch',
    intro: 'RNN Lab stores row vectors (`h·W`), PyTorch column vectors (`W·x`): every matrix is transposed, and RNN Lab\'s one bias `b_h` is `bias_ih_l0` with `bias_hh_l0 = 0`. *RNN Lab: Export Weights for PyTorch* writes that layout directly; for a weights file from *Export Trained Weights* this loads it into `torch.nn.RNN`, `LSTM` or `GRU` (float64) and prints the same loss as RNN Lab to about 1e-12. The README\'s section *Opening an exported model in PyTorch* has the whole table.',
  },
  {
    file: 'pytorch.ko.md',
    heading: 'PyTorch에서 가중치 열기',
    intro: 'RNN Lab은 행 벡터(`h·W`)로, PyTorch는 열 벡터(`W·x`)로 계산합니다. 그래서 모든 행렬을 전치해야 하고, RNN Lab의 편향 하나 `b_h`는 PyTorch의 `bias_ih_l0`가 되며 `bias_hh_l0 = 0`입니다. *RNN Lab: PyTorch용 가중치 내보내기*는 처음부터 이 배치로 씁니다. *학습된 가중치 내보내기*로 받은 가중치 파일이라면, 아래 코드가 그 파일을 `torch.nn.RNN`, `LSTM`, `GRU`(float64)에 불러와 RNN Lab과 약 1e-12 차이 안에서 같은 손실을 출력합니다. 전체 대응표는 README의 *Opening an exported model in PyTorch* 절에 있습니다.',
  },
];

// The PyTorch step shows the README's snippet itself, so the two cannot drift apart (a unit test compares them).
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippet = /### Opening an exported model in PyTorch[\s\S]*?(```python\n[\s\S]*?\n```)/.exec(readme)?.[1];
if (!snippet) throw new Error('README.md: the PyTorch snippet (```python after "### Opening an exported model in PyTorch") is missing');
mkdirSync(out, { recursive: true });
for (const page of PYTORCH_PAGES) {
  writeFileSync(join(out, page.file), `# ${page.heading}\n\n${page.intro}\n\n${snippet}\n`);
  console.log(`media/walkthrough/${page.file} from README.md`);
}
if (process.argv.includes('--markdown')) process.exit(0);

const missing = IMAGES.filter((i) => !existsSync(join(shots, i.from)));
if (missing.length > 0) {
  console.error(`make-walkthrough: ${missing.map((i) => i.from).join(', ')} missing in test-artifacts/ui/: run \`node scripts/test.mjs --only ui\` first`);
  process.exit(1);
}
for (const i of IMAGES) {
  const img = decode(join(shots, i.from));
  const png = encode(i.crop ? crop(img, i.crop) : img);
  writeFileSync(join(out, i.name), png);
  console.log(`media/walkthrough/${i.name} from ${i.from}`);
}

