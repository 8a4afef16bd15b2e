// `rnn-lab inspect`, `rnn-lab gradcheck` and `train --val-split`, run as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectWeights, parseWeights } from '../../../src/core';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const work = mkdtempSync(join(root, 'test-artifacts', 'cli-inspect-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const weights: Record<string, string> = {};
for (const cell of ['rnn', 'lstm', 'gru']) {
  weights[cell] = join(work, `${cell}.json`);
  const r = run('train', '--cell', cell, '--hidden', '6', '--epochs', '20', '--lr', '0.01', '--out', weights[cell]);
  assert.equal(r.code, 0, r.err);
}
const TEXT = 'hello world! nice';

test('inspect: one JSON object with cell, steps, chars, h, top, targetP; c and the gates for the gated cells', () => {
  const expected: Record<string, string[]> = { rnn: [], lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };
  for (const cell of ['rnn', 'lstm', 'gru']) {
    const r = run('inspect', weights[cell], '--text', TEXT);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim().split('\n').length, 1);
    const o = JSON.parse(r.out);
    const keys = ['cell', 'steps', 'chars', 'h', ...(cell === 'lstm' ? ['c'] : []), ...(cell === 'rnn' ? [] : ['gates']), 'top', 'targetP'];
    assert.deepEqual(Object.keys(o), keys);
    assert.equal(o.cell, cell);
    assert.equal(o.steps, 16);
    assert.deepEqual(o.chars, [...TEXT]);
    assert.equal(o.h.length, 16);
    assert.ok(o.h.every((row: number[]) => row.length === 6));
    if (cell !== 'rnn') assert.deepEqual(Object.keys(o.gates), expected[cell]);
    assert.equal(o.top.length, 16);
    assert.ok(o.top.every((row: { char: string; p: number }[]) => row.length === 5 && row.every((e, i) => i === 0 || e.p <= row[i - 1].p)));
    // The numbers are the core's, to the last bit (JSON's shortest round-trip form).
    const core = inspectWeights(parseWeights(readFileSync(weights[cell], 'utf8')), TEXT);
    assert.deepEqual(o.h.flat(), Array.from(core.h));
    assert.deepEqual(o.targetP, Array.from(core.targetP));
    assert.equal(o.top[3][0].char, core.vocab[core.top.ids[15]]);
  }
});

test('inspect --top 2 --connectivity 9, --file: the connectivity row has t + 1 values', () => {
  const txt = join(work, 'text.txt');
  writeFileSync(txt, TEXT);
  const r = run('inspect', weights.gru, '--file', txt, '--top', '2', '--connectivity', '9');
  assert.equal(r.code, 0, r.err);
  const o = JSON.parse(r.out);
  assert.ok(o.top.every((row: unknown[]) => row.length === 2));
  assert.equal(o.connectivity.t, 9);
  assert.equal(o.connectivity.values.length, 10);
  assert.ok(o.connectivity.values.every((v: number) => v > 0));
});

test('gradcheck: one JSON object per parameter, errors small on the trained model', () => {
  const r = run('gradcheck', weights.gru, '--text', TEXT, '--samples', '20', '--seed', '2');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.param), ['W_xh', 'W_hh', 'W_hy', 'b_h', 'b_y', 'b_hn']);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l), ['param', 'shape', 'checked', 'maxRelError', 'maxAbsError', 'worst', 'mode', 'start', 'steps']);
    assert.ok(l.maxRelError < 1e-4, `${l.param} ${l.maxRelError}`);
    assert.equal(l.mode, 'full');
  }
  assert.equal(lines[0].checked, 20);
  assert.equal(lines[5].checked, 6);
});

test('train --val-split: the seed lines and --jsonl carry the held-out loss and accuracy; the weights record the split', () => {
  const out = join(work, 'split.json');
  const lines = run('train', '--epochs', '3', '--val-split', '0.2', '--out', out);
  assert.equal(lines.code, 0, lines.err);
  assert.match(lines.out.trim().split('\n')[0], /^#0, Loss: \d+\.\d{6}, Acc: \d\.\d{6}, Test_string: ".{37}", Val_loss: \d+\.\d{6}, Val_acc: \d\.\d{6}$/);
  const j = run('train', '--epochs', '3', '--val-split', '0.2', '--jsonl');
  const rows = j.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(rows[0]).slice(-3), ['sigmaMaxWhh', 'valLoss', 'valAccuracy']);
  assert.equal(rows[0].predicted.length, 37);
  assert.equal(typeof rows[2].valLoss, 'number');
  assert.equal(parseWeights(readFileSync(out, 'utf8')).training!.config!.validationSplit, 0.2);
  const off = JSON.parse(run('train', '--epochs', '1', '--jsonl').out);
  assert.equal('valLoss' in off, false);
});

const badInput: [string[], RegExp][] = [
  [['inspect', 'W'], /needs the text: give --text STR or --file PATH/],
  [['inspect', 'W', '--text', 'ab', '--file', 'x'], /needs the text/],
  [['inspect', '--text', 'ab'], /exactly one weights file/],
  [['inspect', 'W', '--text', 'hello', '--top', '0'], /--top must be an integer from 1/],
  [['inspect', 'W', '--text', 'hello', '--connectivity', '4'], /--connectivity must be an output step from 0 to 3 for this text of 5 characters/],
  [['inspect', 'W', '--text', 'hello', '--connectivity', '-1'], /--connectivity must be an integer from 0/],
  [['inspect', 'W', '--text', 'hello WORLD'], /vocabulary lacks: "W" \(U\+0057\)/],
  [['inspect', 'W', '--text', 'h'], /at least two characters/],
  [['inspect', 'W', '--text', 'hello '.repeat(1700)], /at most 10000 steps/],
  [['inspect', '/nonexistent/w.json', '--text', 'hello'], /cannot read weights file/],
  [['gradcheck', 'W', '--text', 'hello', '--samples', '0'], /--samples must be an integer from 1 to 100000/],
  [['gradcheck', 'W', '--text', 'hello', '--seed', '1.5'], /--seed must be an integer/],
  [['gradcheck', 'W'], /needs the text/],
  [['gradcheck', 'W', '--text', 'hello', '--top', '3'], /unknown option --top/],
  [['train', '--val-split', '0.6'], /--val-split must be a number from 0 \(off\) to 0\.5/],
  [['train', '--val-split', '0.001'], /holds out none of the text's 46 characters/],
];
for (const [args, message] of badInput) {
  test(`bad input ${JSON.stringify(args).slice(0, 90)} → exit 2 and one line on stderr`, () => {
    const r = run(...args.map((a) => (a === 'W' ? weights.rnn : a)));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  });
}
