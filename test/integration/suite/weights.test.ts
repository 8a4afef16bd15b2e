// Trained weights through the real extension host: export a run, load the file into a model
// panel, continue training from it, generate text from it, and refuse broken files.
// The tests of this file share one exported file and run in order.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/api';
import { parseWeights, sample, Trainer, type WeightsFile } from '../../../src/core';
import { toTorchLayout } from '../../../src/weights/torchLayout';
import { artifactPath, editorWithSelection, exec, execOk, getApi, revertAndCloseUntitled, SEED, snapshot, until } from './helpers';

interface LoadedModelInfo {
  modelId: string;
  name: string;
  title: string;
}

interface GeneratedText {
  text: string;
  target: 'newEditor' | 'insert';
  uri: string;
}

function modelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('rnnLab.model'));
}

describe('trained weights: export, load, continue, generate', function () {
  let api: RnnLabApi;
  let dir: string;
  let weightsFile: string;
  let weights: WeightsFile;

  before(async () => {
    api = await getApi();
    dir = artifactPath(`weights-suite-${Date.now()}`);
    fs.mkdirSync(dir, { recursive: true });
  });

  after(async () => {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  });

  it('exports the weights of a 50-epoch run', async function () {
    this.timeout(90_000);
    const runId = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 50 } });
    const done = await api.waitForState(runId, ['done'], 60_000);
    assert.strictEqual(done.epochsDone, 50);
    weightsFile = path.join(dir, 'seed-50.json');
    await execOk('rnnLab.exportWeights', { runId, uri: vscode.Uri.file(weightsFile) });
    weights = parseWeights(fs.readFileSync(weightsFile, 'utf8'));
    assert.strictEqual(weights.training?.epochsDone, 50);
    assert.strictEqual(weights.training?.firstChar, 'h');
    assert.ok(weights.optimizerState, 'the export has no optimizer state');
  });

  it('loads the file into a model panel', async () => {
    assert.ok(weightsFile, 'needs the export of the previous test');
    const before = modelTabs().length;
    const info = await execOk<LoadedModelInfo>('rnnLab.loadWeights', { uri: vscode.Uri.file(weightsFile) });
    assert.strictEqual(info.name, 'seed-50.json');
    assert.strictEqual(info.modelId, vscode.Uri.file(weightsFile).toString());
    const tabs = await until(modelTabs, (t) => t.length > before, 5_000);
    const all = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} [${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input}]`);
    assert.strictEqual(tabs.length, before + 1, `no model panel opened; tabs: ${all.join(', ')}`);
    assert.ok(tabs.some((t) => t.label === info.title), `no tab titled ${info.title}: ${tabs.map((t) => t.label).join(', ')}`);
    // Loading the same file again shows the same panel instead of a second one.
    await execOk<LoadedModelInfo>('rnnLab.loadWeights', { uri: weightsFile });
    assert.strictEqual(modelTabs().length, before + 1, 'a second panel opened for the same file');
  });

  it('continues training from epoch 50 exactly where the file left off', async function () {
    this.timeout(90_000);
    assert.ok(weights, 'needs the export of the first test');
    const runId = await execOk<string>('rnnLab.continueTraining', { weightsUri: weightsFile, text: SEED, config: { epochs: 20 } });
    const done = await api.waitForState(runId, ['done'], 60_000);
    // 20 epochs numbered 50..69: the run's epoch count starts at the file's epochsDone.
    assert.strictEqual(done.epochsDone, 70);
    assert.ok(done.last);
    assert.strictEqual(done.last.epoch, 69);
    assert.strictEqual(done.config.epochs, 20);
    // The same resume in the core, here in the test: the numbers agree to the last bit only
    // when the weights, the optimizer state and the hyperparameters all came through.
    const trainer = new Trainer(SEED, { ...weights.training!.config!, epochs: 20 }, weights);
    assert.strictEqual(trainer.firstEpoch, 50);
    let last = trainer.runEpoch();
    while (!trainer.finished) last = trainer.runEpoch();
    assert.strictEqual(done.last.loss, last.loss);
    const exported = path.join(dir, 'seed-70.json');
    await execOk('rnnLab.exportWeights', { runId, uri: vscode.Uri.file(exported) });
    assert.strictEqual(parseWeights(fs.readFileSync(exported, 'utf8')).training?.epochsDone, 70);
    assert.ok(snapshot(api, runId).panelOpen);
  });

  it('generates text into a new untitled editor, the same text as the core', async function () {
    this.timeout(30_000);
    const r = await execOk<GeneratedText>('rnnLab.generateText', { weightsUri: weightsFile, prefix: 'h', length: 20, temperature: 0, target: 'newEditor' });
    const expected = sample(weights, { prefix: 'h', length: 20, temperature: 0, seed: 1 });
    assert.strictEqual(r.text, expected);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
    assert.ok(doc, `no document ${r.uri}`);
    assert.ok(doc.isUntitled);
    assert.strictEqual(doc.getText(), expected);
    await revertAndCloseUntitled(doc);
  });

  it('inserts generated text at the cursor, with the given seed and temperature', async function () {
    this.timeout(30_000);
    // A file on disk, not another untitled document: a new untitled one may reuse the name of the
    // one the previous test just closed while the extension host still holds the old contents.
    const file = path.join(dir, 'insert-target.txt');
    fs.writeFileSync(file, '[]');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.selection = new vscode.Selection(new vscode.Position(0, 1), new vscode.Position(0, 1));
    const r = await execOk<GeneratedText>('rnnLab.generateText', { weightsUri: weightsFile, prefix: 'hello', length: 30, temperature: 0.7, seed: 42, target: 'insert' });
    const expected = sample(weights, { prefix: 'hello', length: 30, temperature: 0.7, seed: 42 });
    assert.strictEqual(r.text, expected);
    assert.strictEqual(doc.getText(), `[${expected}]`);
    await revertAndCloseUntitled(doc); // reverts the file too, so no save prompt
  });

  it('continues on the last editor\'s selection while the model panel has the focus (its button\'s path)', async function () {
    this.timeout(90_000);
    const editor = await editorWithSelection(SEED);
    await execOk<LoadedModelInfo>('rnnLab.loadWeights', { uri: weightsFile }); // reveals the panel with focus
    const active = await until(() => vscode.window.activeTextEditor, (e) => e === undefined, 3_000);
    console.log(`[weights] active text editor while the model panel has focus: ${active ? 'still reported' : 'none'}`);
    const runId = await execOk<string>('rnnLab.continueTraining', { weightsUri: weightsFile, config: { epochs: 3 } });
    const done = await api.waitForState(runId, ['done'], 60_000);
    assert.strictEqual(done.epochsDone, 53);
    assert.ok(done.title.startsWith('hello world!'), done.title);
    await revertAndCloseUntitled(editor.document);
  });

  it('exports the model for PyTorch: state_dict names and orientations', async () => {
    const file = path.join(dir, 'seed-50.torch.json');
    const uri = await execOk<string>('rnnLab.exportForPyTorch', { weightsUri: weightsFile, uri: vscode.Uri.file(file) });
    assert.strictEqual(uri, vscode.Uri.file(file).toString());
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepStrictEqual(written, toTorchLayout(weights));
    assert.strictEqual(written.module, 'RNN');
    assert.deepStrictEqual(written.rnn.weight_ih_l0.shape, [20, weights.vocab.length]);
  });

  it('refuses generation parameters out of range with a clear message', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ prefix: 'Z' }, /does not know: "Z" \(U\+005A\)/],
      [{ prefix: '' }, /at least one character/],
      [{ length: 0 }, /length must be a whole number from 1 to 100000/],
      [{ temperature: -1 }, /temperature must be a number from 0/],
      [{ seed: 1.5 }, /seed must be a whole number/],
    ];
    for (const [extra, message] of cases) {
      const r = await exec('rnnLab.generateText', { weightsUri: weightsFile, prefix: 'h', length: 5, temperature: 0, seed: 1, target: 'newEditor', ...extra });
      assert.strictEqual(r.ok, false, `accepted ${JSON.stringify(extra)}`);
      if (!r.ok) assert.match(r.error, message);
    }
  });

  it('refuses to continue on text outside the vocabulary, listing the characters', async () => {
    const runsBefore = api.runs().length;
    const r = await exec<string>('rnnLab.continueTraining', { weightsUri: weightsFile, text: 'hello WORLD\tok', config: { epochs: 5 } });
    assert.strictEqual(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
    if (r.ok) return;
    assert.match(r.error, /"W" \(U\+0057\)/);
    assert.match(r.error, /"O" \(U\+004F\)/);
    assert.match(r.error, /U\+0009/);
    assert.doesNotMatch(r.error, /"o" \(U\+006F\)/, 'listed a character the model knows');
    assert.ok(!r.error.includes('\n'), 'the message is more than one line');
    assert.strictEqual(api.runs().length, runsBefore, 'a run was started');
  });

  describe('broken weights files', () => {
    const good = () => JSON.parse(fs.readFileSync(weightsFile, 'utf8')) as Record<string, any>;
    const cases: { name: string; write(file: string): void; message: RegExp }[] = [
      { name: 'not JSON', write: (f) => fs.writeFileSync(f, 'hello, not json'), message: /not JSON/ },
      { name: 'another format', write: (f) => fs.writeFileSync(f, JSON.stringify({ format: 'keras.h5', version: 1 })), message: /not an RNN Lab weights file/ },
      {
        name: 'a newer version',
        write: (f) => fs.writeFileSync(f, JSON.stringify({ ...good(), version: 2 })),
        message: /version 2, newer than this RNN Lab reads/,
      },
      {
        name: 'NaN in a tensor',
        write: (f) => {
          const w = good();
          const text = JSON.stringify(w).replace(/"W_hh":\{"shape":\[(\d+),(\d+)\],"data":\[[^,\]]+/, '"W_hh":{"shape":[$1,$2],"data":[NaN');
          assert.ok(text.includes('NaN'));
          fs.writeFileSync(f, text);
        },
        message: /NaN or Infinity/,
      },
      {
        name: 'a wrong shape',
        write: (f) => {
          const w = good();
          w.params.W_hh.shape = [w.hiddenSize, w.hiddenSize + 1];
          fs.writeFileSync(f, JSON.stringify(w));
        },
        message: /params\.W_hh\.shape is \[20,21\] but vocab \(\d+\) and hiddenSize \(20\) need \[20,20\]/,
      },
      {
        // Hardening defect 1: 2^53 made the epoch counter stand still and memory grow without end.
        name: 'a huge epochsDone (2^53)',
        write: (f) => {
          const w = good();
          w.training = { ...(w.training ?? {}), epochsDone: 2 ** 53 };
          fs.writeFileSync(f, JSON.stringify(w));
        },
        message: /training\.epochsDone is 9007199254740992, more than the 1,000,000,000 it may count \(MAX_EPOCH_COUNT\)/,
      },
      {
        name: 'more than 64 MB',
        // Sparse: the size is what matters, and the loader must refuse before reading it.
        write: (f) => {
          fs.writeFileSync(f, '');
          fs.truncateSync(f, 64 * 1024 * 1024 + 1);
        },
        message: /larger than the 64 MB/,
      },
    ];
    it('refuses to continue training from a file with a huge epochsDone, before any worker starts', async () => {
      const file = path.join(dir, 'bad-epochs-done-continue.json');
      const w = good();
      w.training = { ...(w.training ?? {}), epochsDone: 1e300 };
      fs.writeFileSync(file, JSON.stringify(w));
      const runsBefore = api.runs().length;
      const r = await exec('rnnLab.continueTraining', { weightsUri: file, text: 'hello world' });
      assert.strictEqual(r.ok, false, 'continued from epochsDone 1e300');
      if (r.ok) return;
      assert.match(r.error, /epochsDone is 1e\+300, more than the 1,000,000,000 it may count/);
      assert.ok(!r.error.includes('\n'), `not one line: ${r.error}`);
      assert.strictEqual(api.runs().length, runsBefore, 'a run was started');
    });
    for (const c of cases) {
      it(`refuses ${c.name} with a one-line message and opens no panel`, async () => {
        const file = path.join(dir, `bad-${c.name.replace(/\W+/g, '-')}.json`);
        c.write(file);
        const tabsBefore = modelTabs().length;
        const r = await exec('rnnLab.loadWeights', { uri: vscode.Uri.file(file) });
        assert.strictEqual(r.ok, false, `loaded ${c.name}`);
        if (r.ok) return;
        assert.match(r.error, c.message);
        assert.ok(r.error.startsWith(`Cannot load ${path.basename(file)}: `), r.error);
        assert.ok(!r.error.includes('\n'), `not one line: ${r.error}`);
        assert.strictEqual(modelTabs().length, tabsBefore, 'a panel opened');
      });
    }
  });
});
