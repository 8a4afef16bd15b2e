// The built `rnn-lab` binary, run as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const work = mkdtempSync(join(root, 'test-artifacts', 'cli-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('default output is the seed\'s lines every 30 epochs and for the last one', () => {
  const r = run('train', '--epochs', '65');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(',')[0]), ['#0', '#30', '#60', '#64']);
  assert.match(lines[0], /^#0, Loss: \d+\.\d{6}, Acc: \d\.\d{6}, Test_string: "h.{45}"$/);
});

test('--jsonl: one object per epoch with the documented fields, nothing else; same seed → identical, other seed → different', () => {
  const a = run('train', '--epochs', '12', '--jsonl');
  const b = run('train', '--epochs', '12', '--jsonl');
  const c = run('train', '--epochs', '12', '--jsonl', '--seed', '5');
  assert.equal(a.code, 0, a.err);
  assert.equal(a.out, b.out);
  assert.notEqual(a.out, c.out);
  const rows = a.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 12);
  assert.deepEqual(Object.keys(rows[0]), [
    'epoch', 'loss', 'accuracy', 'predicted', 'gradNorm', 'lastLossGradNorm',
    'stepShrink', 'shrinkPerStep', 'reach1pct', 'activationSlope', 'stepBound',
    'paramGradNorm', 'sigmaMaxWhh',
  ]);
  assert.deepEqual(rows.map((r) => r.epoch), [...Array(12).keys()]);
});

test('--jsonl carries the why fields, null as null: stepBound for the RNN only', () => {
  const rnn = JSON.parse(run('train', '--epochs', '1', '--jsonl').out);
  assert.equal(rnn.stepShrink.length, 44);
  assert.equal(rnn.activationSlope.length, 45);
  assert.equal(rnn.stepBound.length, 44);
  assert.equal(typeof rnn.shrinkPerStep, 'number');
  rnn.stepShrink.forEach((s: number, t: number) => assert.ok(s <= rnn.stepBound[t] * (1 + 1e-12), `step ${t}`));
  const lstm = JSON.parse(run('train', '--epochs', '1', '--jsonl', '--cell', 'lstm').out);
  assert.equal(lstm.stepBound, null);
  assert.equal(lstm.activationSlope.length, 45);
  // Two characters: one step, so no factor, no mean and no reach.
  const short = JSON.parse(run('train', '--text', 'ab', '--epochs', '1', '--jsonl').out);
  assert.deepEqual([short.stepShrink, short.shrinkPerStep, short.reach1pct, short.stepBound], [[], null, null, []]);
});

test('long predictions: the seed lines show 80 characters and "…", --full-strings all of them, --jsonl all of them', () => {
  const txt = join(work, 'long.txt');
  const text = Array.from({ length: 300 }, (_, i) => 'abcdefgh'[(i * i) % 8]).join('');
  writeFileSync(txt, text);
  const shown = (line: string) => /Test_string: "(.*)"$/.exec(line)![1];
  const cut = run('train', '--file', txt, '--epochs', '1');
  assert.equal(cut.code, 0, cut.err);
  const short = shown(cut.out.trim());
  assert.equal([...short].length, 81);
  assert.ok(short.startsWith('a') && short.endsWith('…'));
  const full = run('train', '--file', txt, '--epochs', '1', '--full-strings');
  assert.equal(shown(full.out.trim()).length, 300);
  assert.equal(shown(full.out.trim()).slice(0, 80), short.slice(0, 80));
  const jsonl = run('train', '--file', txt, '--epochs', '1', '--jsonl');
  assert.equal(JSON.parse(jsonl.out).predicted.length, 300);
});

test('resume: 300 epochs, --out, then --init for 300 more == 600 uninterrupted, number for number', () => {
  const w = join(work, 'half.json');
  const whole = run('train', '--epochs', '600', '--jsonl');
  const first = run('train', '--epochs', '300', '--jsonl', '--out', w);
  const second = run('train', '--epochs', '300', '--jsonl', '--init', w);
  assert.equal(first.code, 0, first.err);
  assert.equal(second.code, 0, second.err);
  assert.equal(first.out + second.out, whole.out);
  const last = JSON.parse(whole.out.trim().split('\n').pop()!);
  assert.equal(last.epoch, 599);
  assert.equal(last.accuracy, 1);
  assert.deepEqual(readdirSync(work).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
});

test('--file reads the text; sample regenerates it at temperature 0', () => {
  const txt = join(work, 'text.txt');
  const w = join(work, 'w.json');
  writeFileSync(txt, 'abcabcabd');
  assert.equal(run('train', '--file', txt, '--epochs', '300', '--lr', '0.01', '--out', w).code, 0);
  const s = run('sample', w, '--length', '8', '--temperature', '0');
  assert.equal(s.code, 0, s.err);
  assert.equal(s.out.trim(), 'abcabcabd'.slice(0, 9).replace(/d$/, s.out.trim().slice(-1)));
  assert.equal(s.out.trim().slice(0, 8), 'abcabcab');
});

const badInput: [string[], RegExp][] = [
  [['train', '--text', ''], /empty/],
  [['train', '--text', 'x'], /only one character/],
  [['train', '--text', 'zzzz'], /single character/],
  [['train', '--frobnicate'], /unknown option --frobnicate/],
  [['train', '--hidden', '0'], /--hidden must be an integer from 1 to 1024/],
  [['train', '--lr', 'fast'], /--lr needs a number/],
  [['train', '--truncate', '3', '--window', '4'], /not both/],
  [['train', '--file', '/nonexistent/x.txt'], /cannot read text file/],
  [['train', '--init', '/nonexistent/w.json'], /cannot read weights file/],
  [['sample'], /exactly one weights file/],
  [['fly'], /unknown command/],
];
for (const [args, message] of badInput) {
  test(`bad input ${JSON.stringify(args)} → exit 2 and one line on stderr`, () => {
    const r = run(...args);
    assert.equal(r.code, 2);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.doesNotMatch(r.err, /at .*\.js:\d+/, 'no stack trace');
  });
}

test('a malformed weights file → exit 2 naming the file and the problem', () => {
  const w = join(work, 'broken.json');
  writeFileSync(w, '{"format":"rnn-lab.weights","version":1,"cell":"rnn","activation":"tanh","hiddenSize":2,"vocab":["a","b"],"params":{}}');
  const r = run('train', '--text', 'abab', '--init', w);
  assert.equal(r.code, 2);
  assert.match(r.err, /broken\.json: params\.W_xh is missing/);
});

test('a diverging run stops with exit 3 and suggests a lower learning rate or clipping', () => {
  const r = run('train', '--lr', '10', '--activation', 'relu');
  assert.equal(r.code, 3);
  assert.match(r.err, /diverged at epoch \d+.*lower learning rate.*clipping/);
});

test('defect 7: --out into a missing folder is refused before training (exit 2, no epoch printed, no file)', () => {
  const target = join(work, 'no-such-dir', 'w.json');
  const r = run('train', '--epochs', '1', '--out', target);
  assert.equal(r.code, 2);
  assert.match(r.err, /^rnn-lab: --out .*no-such-dir.* does not exist: create it first or write elsewhere\n$/);
  assert.equal(r.out, '');
  assert.equal(existsSync(target), false);
  assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node'));
});

test('--threads 2 (a large RNN\'s output layer in a second thread) prints and writes what --threads 1 does; other counts are refused', () => {
  const text = 'the cat sat on the mat; the dog sat on the log. '.repeat(4);
  const args = ['train', '--text', text, '--hidden', '96', '--window', '25', '--epochs', '3', '--jsonl'];
  const one = run(...args, '--threads', '1', '--out', join(work, 'one.json'));
  const two = run(...args, '--threads', '2', '--out', join(work, 'two.json'));
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  assert.equal(two.out, one.out);
  assert.equal(readFileSync(join(work, 'two.json'), 'utf8'), readFileSync(join(work, 'one.json'), 'utf8'));
  const bad = run('train', '--threads', '3');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--threads must be 1 or 2/);
});
