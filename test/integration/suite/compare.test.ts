// "Compare Cells on Selection" and "Open Sample Text" in a real extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/api';
import { exec, execOk, getApi, revertAndCloseUntitled, SEED, snapshot, until, webviewTabs } from './helpers';

describe('compare cells', () => {
  let api: RnnLabApi;
  let runIds: string[] = [];

  before(async () => {
    api = await getApi();
  });

  it('trains RNN, LSTM and GRU on the same text and budget, each to done', async function () {
    this.timeout(240_000);
    runIds = await execOk<string[]>('rnnLab.compareCells', { text: SEED, config: { epochs: 30 } });
    assert.strictEqual(runIds.length, 3);
    const done = await Promise.all(runIds.map((id) => api.waitForState(id, ['done'], 200_000)));
    assert.deepStrictEqual(done.map((s) => s.config.cell), ['rnn', 'lstm', 'gru']);
    for (const s of done) {
      assert.strictEqual(s.epochsDone, 30, `${s.config.cell} trained ${s.epochsDone} epochs`);
      assert.strictEqual(s.config.seed, done[0].config.seed);
      assert.strictEqual(s.config.hiddenSize, done[0].config.hiddenSize);
      assert.deepStrictEqual(s.config.mode, done[0].config.mode);
      assert.ok(s.panelOpen, `${s.config.cell}: panel not open`);
      assert.ok(Number.isFinite(s.last?.loss), `${s.config.cell}: no final loss`);
    }
    assert.ok(done[1].last?.lastLossCellGradNorm, 'the LSTM run reports its cell-state gradients');
    // Show Panel (the status bar's command) finds a run that lives in the compare panel.
    assert.strictEqual(await execOk<string>('rnnLab.showPanel', { runId: runIds[1] }), runIds[1]);
    const unknown = await exec('rnnLab.showPanel', { runId: 'run-nope' });
    assert.strictEqual(unknown.ok, false);
  });

  it('closing the compare panel ends all three workers', async function () {
    assert.strictEqual(runIds.length, 3, 'needs the runs of the previous test');
    // The tab model can lag behind a panel that was just created; give it a moment.
    const compareTabs = () => webviewTabs().filter((t) => t.label.startsWith('Compare cells'));
    const tabs = await until(compareTabs, (ts) => ts.length > 0, 10_000);
    assert.strictEqual(tabs.length, 1, `expected one compare tab; all tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input?.constructor?.name ?? 'no input'})`).join(' | ')}`);
    await vscode.window.tabGroups.close(tabs);
    const after = await until(() => runIds.map((id) => snapshot(api, id)), (ss) => ss.every((s) => !s.workerAlive && !s.panelOpen), 15_000);
    for (const s of after) {
      assert.strictEqual(s.panelOpen, false, `${s.config.cell}: panelOpen still true`);
      assert.strictEqual(s.workerAlive, false, `${s.config.cell}: worker still alive 15 s after the panel closed`);
    }
  });

  it('refuses bad input like Train on Selection does, and a cell in the config', async () => {
    const oneChar = await exec('rnnLab.compareCells', { text: 'aaaa' });
    assert.strictEqual(oneChar.ok, false);
    const cell = await exec('rnnLab.compareCells', { text: SEED, config: { cell: 'lstm' } });
    assert.strictEqual(cell.ok, false);
    assert.match(cell.ok ? '' : cell.error, /cell/);
    assert.strictEqual(webviewTabs().filter((t) => t.label.startsWith('Compare cells')).length, 0, 'a refused run opened a panel');
  });
});

/** The editor showing the document the command opened (focus may lag behind a closing editor). */
async function editorOf(uri: string): Promise<vscode.TextEditor> {
  const editor = await until(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri), (e) => e !== undefined, 5_000);
  assert.ok(editor, `no visible editor shows ${uri}`);
  return editor;
}

describe('rnnLab.cell setting', () => {
  after(async () => {
    await vscode.workspace.getConfiguration('rnnLab').update('cell', undefined, vscode.ConfigurationTarget.Global);
  });

  it('reaches the trainer: Train on Selection with rnnLab.cell = gru trains a GRU', async function () {
    this.timeout(120_000);
    const api = await getApi();
    await vscode.workspace.getConfiguration('rnnLab').update('cell', 'gru', vscode.ConfigurationTarget.Global);
    const runId = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 5 } });
    const done = await api.waitForState(runId, ['done'], 100_000);
    assert.strictEqual(done.config.cell, 'gru');
    assert.ok(done.last && 'b_hn' in done.last.paramGradNorm, `a GRU reports the gradient of b_hn (got ${Object.keys(done.last?.paramGradNorm ?? {}).join(', ')})`);
    const tabs = await until(webviewTabs, (ts) => ts.length > 0, 10_000);
    await vscode.window.tabGroups.close(tabs);
    await until(() => snapshot(api, runId), (s) => !s.workerAlive, 10_000);
  });
});

describe('open sample text', () => {
  it('opens the chosen sample in an editor with the whole text selected', async () => {
    const opened = await execOk<{ id: string; uri: string }>('rnnLab.openSample', { id: 'seed' });
    assert.strictEqual(opened.id, 'seed');
    const editor = await editorOf(opened.uri);
    assert.strictEqual(editor.document.getText(), SEED);
    assert.strictEqual(editor.document.getText(editor.selection), SEED, 'the sample is selected, ready to train');
    await revertAndCloseUntitled(editor.document);
  });

  it('opens the long-dependency sample and refuses an unknown id', async () => {
    const opened = await execOk<{ id: string; uri: string }>('rnnLab.openSample', { id: 'long-dependency' });
    const editor = await editorOf(opened.uri);
    assert.match(editor.document.getText(), /^[AB]\.+:[XY]\n/);
    assert.strictEqual(editor.document.getText(editor.selection).length, editor.document.getText().length);
    await revertAndCloseUntitled(editor.document);
    const unknown = await exec('rnnLab.openSample', { id: 'nope' });
    assert.strictEqual(unknown.ok, false);
  });
});
