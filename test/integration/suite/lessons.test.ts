// Lessons in the real extension host: Open Lesson starts the lesson's run (its title, notes and
// settings, never the user's), Save as Lesson → Open Lesson reproduces a run number for number,
// and the Get Started walkthrough is contributed with commands that exist and run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSnapshot } from '../../../src/api';
import { artifactPath, execOk, EXTENSION_ID, getApi, revertAndCloseUntitled, SEED } from './helpers';
import type { OpenedLesson } from '../../../src/commands/lessonCommands';

const DONE: RunSnapshot['state'][] = ['done', 'diverged', 'stopped', 'crashed'];

async function metricsOf(runId: string, name: string): Promise<{ epochs: unknown[] }> {
  const file = artifactPath(name);
  await execOk<string>('rnnLab.exportMetrics', { runId, uri: vscode.Uri.file(file), format: 'json' });
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('lessons', () => {
  afterEach(async () => {
    // Untitled lesson texts are reverted first, so closing them asks nothing.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) await revertAndCloseUntitled(doc);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Open Lesson: the text in an editor, the panel with the lesson\'s title and notes, the lesson\'s settings while the user\'s stay as they were', async () => {
    const api = await getApi();
    const config = vscode.workspace.getConfiguration('rnnLab');
    await config.update('hiddenSize', 7, vscode.ConfigurationTarget.Global);
    await config.update('seed', 11, vscode.ConfigurationTarget.Global);
    try {
      const opened = await execOk<OpenedLesson>('rnnLab.openLesson', { id: 'gradients-vanish' });
      assert.strictEqual(opened.title, '1. Gradients vanish');
      assert.strictEqual(opened.runIds.length, 1);
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === opened.documentUri);
      assert.strictEqual(shown?.document.getText(), SEED, 'the lesson\'s text is open in an editor');
      const done = await api.waitForState(opened.runIds[0], DONE, 60_000);
      assert.strictEqual(done.state, 'done');
      assert.strictEqual(done.title, '1. Gradients vanish');
      assert.deepStrictEqual(
        { cell: done.config.cell, activation: done.config.activation, hiddenSize: done.config.hiddenSize, epochs: done.config.epochs, seed: done.config.seed, mode: done.config.mode, clip: done.config.clip },
        { cell: 'rnn', activation: 'tanh', hiddenSize: 20, epochs: 600, seed: 3, mode: { kind: 'full' }, clip: 0 },
      );
      assert.ok(done.lesson, 'the run carries the lesson');
      assert.deepStrictEqual(done.lesson.notes.map((n) => n.epoch), [null, 150, 550]);
      assert.ok(done.lesson.summary.includes('reach1pct'));
      assert.strictEqual(done.lesson.heatmap, 'lastLossGradNorm');
      // The lesson's claim, on the extension's own run.
      assert.ok(done.last && typeof done.last.reach1pct === 'number' && done.last.reach1pct < SEED.length, `reach1pct ${done.last?.reach1pct}`);
      const after = vscode.workspace.getConfiguration('rnnLab');
      assert.strictEqual(after.get('hiddenSize'), 7, 'the user\'s hiddenSize is untouched');
      assert.strictEqual(after.get('seed'), 11, 'the user\'s seed is untouched');
    } finally {
      await config.update('hiddenSize', undefined, vscode.ConfigurationTarget.Global);
      await config.update('seed', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Save as Lesson, then Open Lesson: the same run, number for number', async () => {
    const api = await getApi();
    const runId = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 150, hiddenSize: 12, seed: 5, learningRate: 0.01, optimizer: 'rmsprop', mode: { kind: 'truncate', k: 7 }, clip: 2 } });
    const first = await api.waitForState(runId, DONE, 60_000);
    assert.strictEqual(first.state, 'done');
    const file = artifactPath('saved.rnnlab-lesson.json');
    const written = await execOk<string>('rnnLab.saveLesson', { runId, uri: vscode.Uri.file(file).toString(), title: 'My lesson', summary: 'Look at **the loss**.' });
    assert.strictEqual(vscode.Uri.parse(written).fsPath, file);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(saved.text, SEED);
    assert.strictEqual(saved.config['bptt.k'], 7);

    const opened = await execOk<OpenedLesson>('rnnLab.openLesson', { uri: vscode.Uri.file(file).toString() });
    const second = await api.waitForState(opened.runIds[0], DONE, 60_000);
    assert.strictEqual(second.title, 'My lesson');
    assert.deepStrictEqual(second.config, first.config);
    const a = await metricsOf(runId, 'saved-a.json');
    const b = await metricsOf(opened.runIds[0], 'saved-b.json');
    assert.strictEqual(a.epochs.length, 150);
    assert.deepStrictEqual(b.epochs, a.epochs, 'every epoch\'s numbers are the same');
  });

  it('a lesson with init weights continues them; one whose architecture differs from the weights is refused', async () => {
    const api = await getApi();
    const runId = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 40, hiddenSize: 9 } });
    await api.waitForState(runId, DONE, 60_000);
    const weights = artifactPath('init-weights.json');
    await execOk<string>('rnnLab.exportWeights', { runId, uri: vscode.Uri.file(weights) });
    const lesson = (config: Record<string, unknown>) => JSON.stringify({ format: 'rnn-lab.lesson', version: 1, title: 'Go on', summary: 'More epochs.', text: SEED, config, init: 'init-weights.json' });
    const good = artifactPath('init-good.rnnlab-lesson.json');
    fs.writeFileSync(good, lesson({ hiddenSize: 9, epochs: 20 }));
    const opened = await execOk<OpenedLesson>('rnnLab.openLesson', vscode.Uri.file(good));
    const done = await api.waitForState(opened.runIds[0], DONE, 60_000);
    assert.strictEqual(done.state, 'done');
    assert.strictEqual(done.epochsDone, 60, 'the 40 epochs of the weights and the lesson\'s 20');
    const bad = artifactPath('init-bad.rnnlab-lesson.json');
    fs.writeFileSync(bad, lesson({ hiddenSize: 10 }));
    const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('rnnLab.openLesson', vscode.Uri.file(bad));
    assert.ok(r && !r.ok);
    assert.strictEqual(r.error, 'RNN Lab: cannot open the lesson init-bad.rnnlab-lesson.json: init: the weights have hiddenSize 9, config.hiddenSize is 10');
  });

  it('a broken lesson file is refused in one line naming the field', async () => {
    const file = artifactPath('broken.rnnlab-lesson.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'rnn-lab.lesson', version: 1, title: 'T', summary: 'S', text: SEED, config: { hiddenSize: 0 } }));
    const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('rnnLab.openLesson', vscode.Uri.file(file));
    assert.ok(r && !r.ok);
    assert.strictEqual(r.error, 'RNN Lab: cannot open the lesson broken.rnnlab-lesson.json: config.hiddenSize must be an integer ≥ 1 (got 0)');
  });

  it('the Get Started walkthrough is contributed: its steps\' commands are registered, their pictures ship, and it opens', async () => {
    await getApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const walkthroughs = ext.packageJSON.contributes.walkthroughs as { id: string; title: string; steps: { id: string; description: string; media: { image?: string; markdown?: string }; completionEvents: string[] }[] }[];
    assert.strictEqual(walkthroughs[0].title, 'Watch gradients vanish with RNN Lab');
    const steps = walkthroughs[0].steps;
    assert.ok(steps.length >= 5 && steps.length <= 7, `${steps.length} steps`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const media = step.media.image ?? step.media.markdown!;
      assert.ok(fs.existsSync(path.join(ext.extensionPath, media)), `${step.id}: ${media} ships`);
      const commands = [...step.completionEvents.map((e) => e.replace(/^onCommand:/, '')), ...[...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1])];
      assert.ok(commands.length >= 2, `${step.id} has a button and a completion event`);
      for (const c of commands) assert.ok(registered.has(c), `${step.id}: ${c} is registered`);
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthroughs[0].id}`, false);
    // The first step's button: its command with the link's argument.
    const link = /\(command:([\w.]+)\?([^)]+)\)/.exec(steps[0].description)!;
    const args = JSON.parse(decodeURIComponent(link[2])) as unknown[];
    await execOk(link[1], ...args);
    assert.strictEqual(vscode.window.activeTextEditor?.document.getText(), SEED);
  });
});
