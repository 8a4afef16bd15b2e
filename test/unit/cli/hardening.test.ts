// The built `rnn-lab` against the inputs of issue #12's probe: each defect gets its test, named
// for it. Every refusal is one line on stderr with exit 2, before any training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, watch, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const work = mkdtempSync(join(root, 'test-artifacts', 'cli-hard-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Exit 2, nothing on stdout, exactly one line on stderr matching `pattern`. */
function refusedBeforeTraining(r: ReturnType<typeof run>, pattern: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '', 'no epoch was printed');
  assert.match(r.err, /^rnn-lab: [^\n]+\n$/);
  assert.doesNotMatch(r.err, /internal error/);
  assert.match(r.err, pattern);
}

const seedWeights = join(work, 'seed.json');
const trained = run('train', '--epochs', '5', '--out', seedWeights);
assert.equal(trained.code, 0, trained.err);

test('defect 1: --init with epochsDone 2^53 exits 2 at once instead of looping forever', () => {
  const w = JSON.parse(readFileSync(seedWeights, 'utf8'));
  w.training.epochsDone = 2 ** 53;
  const file = join(work, 'e53.json');
  writeFileSync(file, JSON.stringify(w));
  refusedBeforeTraining(run('train', '--init', file, '--epochs', '3'), /e53\.json: training\.epochsDone is 9007199254740992, more than the 1,000,000,000 .*MAX_EPOCH_COUNT/);
});

test('defect 3: --out of a model whose file the loader would refuse is refused before training, naming the hidden size that fits', () => {
  const text = join(work, 'ninety.txt');
  const ninety = Array.from({ length: 90 }, (_, i) => String.fromCharCode(33 + i)).join('');
  writeFileSync(text, ninety + ninety);
  const out = join(work, 'h.json');
  const r = run('train', '--file', text, '--hidden', '1024', '--epochs', '1', '--out', out);
  refusedBeforeTraining(r, /The weights file of this model \(rnn, 90 characters, 1024 units\) could take \d+\.\d MB, more than the 64\.0 MB .*: use --hidden \d+ or less\./);
  assert.equal(existsSync(out), false);
  const fits = Number(/--hidden (\d+) or less/.exec(r.err)![1]);
  // The size offered trains and writes a file that loads again.
  const ok = run('train', '--file', text, '--hidden', String(fits), '--epochs', '1', '--out', out);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(run('sample', out, '--length', '5').code, 0);
});

test('defect 4: /dev/zero, a 10 MB text, 30,000 distinct characters and full BPTT of a long text are refused in one line', () => {
  refusedBeforeTraining(run('train', '--file', '/dev/zero', '--epochs', '1'), /\/dev\/zero: the text file is larger than 8 MB \(MAX_TEXT_BYTES/);
  const big = join(work, 'big.txt');
  writeFileSync(big, 'ab'.repeat(5 * 1024 * 1024));
  refusedBeforeTraining(run('train', '--file', big, '--epochs', '1'), /larger than 8 MB/);
  const wide = join(work, 'wide.txt');
  const chars = Array.from({ length: 30_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  writeFileSync(wide, chars);
  refusedBeforeTraining(run('train', '--file', wide, '--epochs', '1', '--window', '25'), /30,000 distinct characters, more than the 10,000 .*MAX_DISTINCT|30,000 distinct characters, more than the 10,000/);
  const long = join(work, 'long.txt');
  writeFileSync(long, 'abcdefghij'.repeat(100));
  refusedBeforeTraining(run('train', '--file', long, '--epochs', '1'), /1,000 characters, more than the 400 full BPTT .*: use --window K \(e\.g\. --window 25\)\.$/m);
  refusedBeforeTraining(run('train', '--file', long, '--epochs', '1', '--truncate', '5'), /truncated BPTT .*use --window K/);
  assert.equal(run('train', '--file', long, '--epochs', '1', '--window', '25').code, 0);
});

test('defect 5: `sample` of 60 MB of "[" exits 2 naming MAX_JSON_DEPTH', () => {
  const file = join(work, 'brackets.json');
  writeFileSync(file, '['.repeat(60 * 1024 * 1024));
  refusedBeforeTraining(run('sample', file), /brackets\.json: the file nests arrays and objects more than 64 deep \(MAX_JSON_DEPTH\)/);
});

test('defect 6: --activation relu trains the seed sentence at seeds 1–10', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const r = run('train', '--activation', 'relu', '--seed', String(seed), '--jsonl');
    assert.equal(r.code, 0, `seed ${seed}: ${r.err}`);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number; accuracy: number; sigmaMaxWhh: number });
    assert.equal(rows.length, 600);
    assert.ok(Math.abs(rows[0].sigmaMaxWhh - 0.1) < 1e-12, `σ_max(W_hh) starts at 0.1 (got ${rows[0].sigmaMaxWhh})`);
    assert.ok(rows.some((m) => m.accuracy === 1), `seed ${seed} never predicts the whole sentence`);
    const last = rows[rows.length - 1];
    assert.ok(last.loss < 0.5 && last.accuracy >= 0.95, `seed ${seed} ends at loss ${last.loss}, accuracy ${last.accuracy}`);
  }
});

test('defect 6: an epoch-0 divergence blames the untrained weights (σ_max and ReLU), not the learning rate', () => {
  const w = JSON.parse(readFileSync(seedWeights, 'utf8'));
  const H = w.hiddenSize;
  w.activation = 'relu';
  w.params.W_hh.data = Array.from({ length: H * H }, (_, i) => (i % (H + 1) === 0 ? 3 : 0));
  w.training.epochsDone = 0;
  delete w.optimizerState;
  const file = join(work, 'exploding.json');
  writeFileSync(file, JSON.stringify(w));
  const r = run('train', '--init', file, '--epochs', '5');
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /^rnn-lab: Training diverged at epoch 0, before any update: the untrained network already explodes, so no learning rate is to blame \(.*σ_max\(W_hh\) = 3\.00 and ReLU does not saturate, so h_t can grow 3\.00× per step over the 45 steps\)/);
  assert.doesNotMatch(r.err, /lower learning rate/);
});

test('defect 7: progress lines escape control characters in the prediction, one line per printed epoch', () => {
  const r = run('train', '--text', 'ab\ncd\r\tef\u0007gh\u2028', '--epochs', '3', '--every', '1', '--full-strings');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines.length, 4, JSON.stringify(r.out));
  assert.equal(lines[3], '');
  for (const l of lines.slice(0, 3)) {
    assert.match(l, /^#\d, Loss: [\d.]+, Acc: [\d.]+, Test_string: "a.*"$/);
    assert.ok([...l].every((c) => c.charCodeAt(0) >= 0x20 && c !== '\u2028'), `a control character in ${JSON.stringify(l)}`);
  }
});

test('defect 7: stdout is written line by line: the first line arrives while training goes on', async () => {
  const child = spawn(process.execPath, [cli, 'train', '--epochs', '100000', '--every', '1', '--hidden', '32'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString('utf8'))));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal === 'SIGINT' ? 130 : _code)));
  child.kill('SIGINT');
  assert.equal(await exited, 130, 'still training when the first line came');
  const lines = first.split('\n');
  // The old CLI wrote 256 lines at a time.
  assert.ok(lines.length - 1 < 256, `the first write held ${lines.length - 1} lines`);
  assert.match(lines[0], /^#0, Loss: /);
});

test('defect 7: SIGTERM while --out is being written leaves no temporary file', async () => {
  const dir = mkdtempSync(join(work, 'sig-'));
  const out = join(dir, 'w.json');
  const text = join(dir, 't.txt');
  writeFileSync(text, Array.from({ length: 1500 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7) % 1500))).join(''));
  // About 40 MB to write: long enough for the signal to land during the write.
  const child = spawn(process.execPath, [cli, 'train', '--file', text, '--window', '25', '--hidden', '200', '--epochs', '1', '--out', out], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let sent = false;
  const watcher = watch(dir, (_event, name) => {
    if (!sent && name !== null && name.endsWith('.tmp')) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
  await exited;
  watcher.close();
  assert.ok(sent, 'the temporary file appeared');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  // Either the whole file made it (the rename came first) or none of it.
  if (existsSync(out)) assert.equal(run('sample', out, '--length', '1').code, 0);
});

test('defect 7: a leading UTF-8 BOM is dropped from text files and weights files alike', () => {
  const text = join(work, 'bom.txt');
  writeFileSync(text, '\ufeffabcabd');
  const out = join(work, 'bom.json');
  assert.equal(run('train', '--file', text, '--epochs', '2', '--out', out).code, 0);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).vocab, ['a', 'b', 'c', 'd']);
  const bomWeights = join(work, 'bom-weights.json');
  writeFileSync(bomWeights, '\ufeff' + readFileSync(out, 'utf8'));
  const r = run('sample', bomWeights, '--length', '3');
  assert.equal(r.code, 0, r.err);
});

test('defect 7: a text file that is not valid UTF-8 trains with a one-line warning', () => {
  const file = join(work, 'latin1.txt');
  writeFileSync(file, Buffer.from([0x61, 0x62, 0xe9, 0x61, 0x62, 0x63]));
  const r = run('train', '--file', file, '--epochs', '1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /^rnn-lab: warning: .*latin1\.txt is not valid UTF-8: its invalid bytes are read as U\+FFFD\.\n$/);
});
