// The main path a user takes: select the seed sentence, train, export the weights, close the panel.
// The tests of this file share one run and depend on each other's order (mocha keeps file order).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/api';
import { parseWeights } from '../../../src/core';
import { artifactPath, editorWithSelection, execOk, getApi, revertAndCloseUntitled, SEED, snapshot, until, webviewTabs } from './helpers';
import { validateAgainstSchema } from '../support/jsonSchema';

describe('training the seed sentence', function () {
  let api: RnnLabApi;
  let runId: string;

  before(async () => {
    api = await getApi();
  });

  it('trains 600 epochs on the selection and reaches accuracy 1', async function () {
    this.timeout(150_000);
    const editor = await editorWithSelection(SEED);
    assert.strictEqual(editor.document.getText(editor.selection), SEED);
    runId = await execOk<string>('rnnLab.trainOnSelection');
    assert.strictEqual(typeof runId, 'string');
    const started = snapshot(api, runId);
    assert.ok(started.panelOpen, 'the training panel did not open');
    const done = await api.waitForState(runId, ['done'], 120_000);
    assert.strictEqual(done.epochsDone, 600);
    assert.ok(done.last, 'no metrics reached the host');
    assert.strictEqual(done.last.epoch, 599);
    assert.strictEqual(done.last.accuracy, 1, `last accuracy ${done.last.accuracy}, loss ${done.last.loss}`);
    assert.strictEqual(done.last.predicted, SEED);
    await revertAndCloseUntitled(editor.document);
  });

  it('exports weights that match the schema and load back with the core parser', async function () {
    assert.ok(runId, 'needs the run of the previous test');
    const file = artifactPath(`weights-${Date.now()}.json`);
    const uri = vscode.Uri.file(file);
    await execOk('rnnLab.exportWeights', { runId, uri });
    assert.ok(fs.existsSync(file), `export wrote nothing at ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    assert.strictEqual(json.format, 'rnn-lab.weights');
    assert.strictEqual(json.version, 1);
    const schemaPath = `${getExtensionPath()}/schema/weights.schema.json`;
    const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
    const problems = validateAgainstSchema(json, schema);
    assert.deepStrictEqual(problems, [], `weights file does not match schema/weights.schema.json`);
    const loaded = parseWeights(text);
    assert.strictEqual(loaded.format, 'rnn-lab.weights');
    assert.strictEqual(loaded.version, 1);
  });

  it('stops the worker when the panel closes', async function () {
    assert.ok(runId, 'needs the run of the previous test');
    assert.ok(snapshot(api, runId).workerAlive, 'the worker was already gone before the panel closed');
    const tabs = webviewTabs();
    assert.ok(tabs.length > 0, 'no webview tab is open');
    await vscode.window.tabGroups.close(tabs);
    const after = await until(() => snapshot(api, runId), (s) => !s.workerAlive && !s.panelOpen, 10_000);
    assert.strictEqual(after.panelOpen, false, 'panelOpen still true after closing the panel');
    assert.strictEqual(after.workerAlive, false, 'workerAlive still true 10 s after closing the panel');
  });
});

function getExtensionPath(): string {
  const ext = vscode.extensions.getExtension('rnn-lab.rnn-lab');
  assert.ok(ext);
  return ext.extensionPath;
}
