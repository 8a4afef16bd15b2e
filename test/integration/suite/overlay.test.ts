// The editor overlay in a real workbench: a selection inside a larger document is coloured
// where it lies, the toggle command switches it, the hover shows the worker's top 3, an edit
// before the text moves the colours, an edit inside turns them off with a reason; a unit picked
// (through the panel's webview) colours the text by its activation, in window mode the window
// of the editor's cursor.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { OverlaySnapshot, RnnLabApi } from '../../../src/api';
import { writeFileSync } from 'fs';
import { artifactPath, exec, execOk, getApi, revertAndCloseUntitled, SEED, snapshot, until, webviewTabs } from './helpers';
import { Trainer } from '../../../src/core';
import { activationBucket } from '../../../src/host/overlayPaint';
import { TextMap } from '../../../src/host/textMap';

function overlayOf(api: RnnLabApi, runId: string): OverlaySnapshot | undefined {
  return snapshot(api, runId).overlay;
}

/**
 * Reverts and closes an untitled document and waits until the extension host has let it go:
 * the next untitled document reuses its name, and opened too soon it comes back with the old text.
 */
async function closeUntitled(doc: vscode.TextDocument): Promise<void> {
  await revertAndCloseUntitled(doc);
  await until(() => doc.isClosed, (closed) => closed, 10_000);
}

async function closePanels(): Promise<void> {
  const tabs = webviewTabs();
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .filter((t) => t.includes('RNN Lab'))
    .join('\n');
}

describe('the editor overlay', function () {
  let api: RnnLabApi;

  before(async () => {
    api = await getApi();
  });

  afterEach(closePanels);

  it('colours a selection inside a document, follows the toggle, hovers, moves with edits before it and turns off on an edit inside', async function () {
    this.timeout(120_000);
    const head = '# notes\n';
    const doc = await vscode.workspace.openTextDocument({ content: `${head}${SEED}\nthe end\n`, language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const start = head.length;
    editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + SEED.length));

    const runId = await execOk<string>('rnnLab.trainOnSelection', { config: { epochs: 200 } });
    await api.waitForState(runId, ['done'], 60_000);
    // 46 characters: 45 inputs are coloured; the last is only a target. Every norm of the seed is positive.
    let o = await until(() => overlayOf(api, runId), (s) => (s?.decorated ?? 0) > 0, 20_000);
    assert.ok(o, 'the snapshot has no overlay');
    assert.strictEqual(o.on, true, 'the overlay is on by default');
    assert.strictEqual(o.available, true, `unavailable: ${o.reason}`);
    assert.strictEqual(o.editors, 1);
    assert.strictEqual(o.decorated, SEED.length - 1);
    assert.strictEqual(typeof o.epoch, 'number');
    assert.strictEqual(o.sample[0].start, start, 'the first coloured character is the first one selected');
    assert.ok(o.sample.every((r) => r.start >= start && r.end <= start + SEED.length && r.bucket >= 0 && r.bucket < 16));

    // Once the film reaches the last epoch, the underlines are that epoch's wrong predictions.
    o = await until(() => overlayOf(api, runId), (s) => s?.epoch === 199, 20_000);
    assert.strictEqual(o?.epoch, 199, 'the overlay did not follow the playhead to the last epoch');
    const predicted = Array.from(snapshot(api, runId).last?.predicted ?? '');
    const wrong = Array.from(SEED).filter((c, p) => p >= 1 && predicted[p] !== c).length;
    assert.ok(wrong > 0, 'the 200-epoch run should still get some characters wrong, or this check proves nothing');
    assert.strictEqual(o?.underlined, wrong);

    // The command switches it off and on again; the colours go and come back.
    const off = await execOk<{ on: boolean }>('rnnLab.toggleEditorGradients', { runId });
    assert.strictEqual(off.on, false);
    o = await until(() => overlayOf(api, runId), (s) => s?.decorated === 0, 5_000);
    assert.strictEqual(o?.decorated, 0, 'still decorated after switching off');
    assert.strictEqual(o?.on, false);
    await execOk('rnnLab.toggleEditorGradients', { runId, on: true });
    o = await until(() => overlayOf(api, runId), (s) => s?.decorated === SEED.length - 1, 5_000);
    assert.strictEqual(o?.decorated, SEED.length - 1);

    // The hover of "l" (position 2: input l, target l) names the step and lists three guesses.
    const text = await hoverText(doc.uri, doc.positionAt(start + 2));
    assert.match(text, /step t = 2\b/, text);
    assert.match(text, /input `l` → target `l`/, text);
    const guesses = /top 3: (.*)/.exec(text)?.[1] ?? '';
    assert.strictEqual((guesses.match(/%/g) ?? []).length, 3, `three guesses with probabilities: ${text}`);
    assert.match(text, /‖∂L_T\/∂h_t‖ = \d/);
    assert.strictEqual(await hoverText(doc.uri, doc.positionAt(1)), '', 'no overlay hover outside the trained text');

    // Typing above the selection moves the colours with the text.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'xyz'));
    o = await until(() => overlayOf(api, runId), (s) => s?.sample[0]?.start === start + 3, 5_000);
    assert.strictEqual(o?.sample[0]?.start, start + 3, 'the colours did not move with the text');
    assert.strictEqual(o?.available, true);

    // Typing inside it ends the overlay, and says why.
    await editor.edit((b) => b.insert(doc.positionAt(start + 3 + 5), ','));
    o = await until(() => overlayOf(api, runId), (s) => s?.available === false && s.decorated === 0, 5_000);
    assert.strictEqual(o?.available, false);
    assert.strictEqual(o?.decorated, 0);
    assert.match(o?.reason ?? '', /edited inside the trained text/);
    const again = await exec<{ available: boolean }>('rnnLab.toggleEditorGradients', { runId, on: true });
    assert.ok(again.ok && again.value.available === false, 'switching on again must not bring back wrong colours');
    await closeUntitled(doc);
  });

  it('maps several selections, CRLF line ends and emoji onto the right characters, and hides with the editor', async function () {
    this.timeout(120_000);
    const content = 'x😀yz\r\nskip\r\nc🎉d\r\n';
    const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    // An untitled document does not always keep the content's line ends (seen: LF once in a full run).
    if (doc.eol !== vscode.EndOfLine.CRLF) await editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.CRLF));
    assert.strictEqual(doc.getText(), content, 'the document holds CRLF line ends');
    const at = (s: string) => content.indexOf(s);
    editor.selections = [
      new vscode.Selection(doc.positionAt(at('c')), doc.positionAt(at('d') + 1)),
      new vscode.Selection(doc.positionAt(0), doc.positionAt(at('ip'))),
    ];
    const runId = await execOk<string>('rnnLab.trainOnSelection', { config: { epochs: 50 } });
    await api.waitForState(runId, ['done'], 60_000);
    // Text "x😀yz\r\nsk" + "\n" + "c🎉d": inputs x 😀 y z s k c 🎉 are coloured; \r, \n, the joining newline are not; d is only a target.
    const o = await until(() => overlayOf(api, runId), (s) => (s?.decorated ?? 0) > 0, 20_000);
    assert.strictEqual(o?.decorated, 8, JSON.stringify(o));
    const painted = o!.sample.map((r) => content.slice(r.start, r.end)).join('');
    assert.strictEqual([...painted].sort().join(''), [...'x😀yzskc🎉'].sort().join(''), `painted ${JSON.stringify(o!.sample)}`);
    for (const r of o!.sample) assert.ok(!/[\r\n]/.test(content.slice(r.start, r.end)) && !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(content.slice(r.start, r.end)), `run ${JSON.stringify(r)} splits a character or paints a line break`);

    // Another document in the editor: nothing is shown; the trained one again: the colours come back.
    const other = await vscode.workspace.openTextDocument({ content: 'unrelated', language: 'plaintext' });
    await vscode.window.showTextDocument(other, { viewColumn: editor.viewColumn, preview: false });
    const hidden = await until(() => overlayOf(api, runId), (s) => s?.editors === 0, 5_000);
    assert.strictEqual(hidden?.decorated, 0);
    assert.strictEqual(hidden?.available, true, 'hiding the editor must not end the overlay');
    await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preview: false });
    const back = await until(() => overlayOf(api, runId), (s) => s?.decorated === 8, 5_000);
    assert.strictEqual(back?.decorated, 8);
    await closeUntitled(other);
    await closeUntitled(doc);
  });

  it('has nothing to colour for a text given as an argument, and says so', async function () {
    this.timeout(60_000);
    const runId = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 5 } });
    await api.waitForState(runId, ['done'], 30_000);
    const o = overlayOf(api, runId);
    assert.strictEqual(o?.available, false);
    assert.match(o?.reason ?? '', /did not come from an editor/);
  });

  it('colours the text by a picked unit (the core’s values), hovers its value, follows the cursor window by window, and unpicks', async function () {
    this.timeout(150_000);
    // CRLF line ends and emoji: code points and UTF-16 offsets part after the first 🎉.
    const content = 'ab🎉cd\r\nefg🎉h\r\nijab🎉cdefg\r\nhij🎉ab';
    // A file, not an untitled document: a new untitled one can come back with an earlier test's text.
    const file = artifactPath('overlay-unit.txt');
    writeFileSync(file, content);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    assert.strictEqual(doc.getText(), content);
    editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(content.length));
    const K = 10;
    const runId = await execOk<string>('rnnLab.trainOnSelection', { config: { epochs: 40, cell: 'lstm', hiddenSize: 8, mode: { kind: 'window', k: K } } });
    await api.waitForState(runId, ['done'], 60_000);
    await until(() => overlayOf(api, runId), (s) => s?.epoch === 39, 30_000);
    // The cursor in the trained text: nothing to move yet (window 0); the unit goes through the panel and back.
    await execOk('rnnLab.toggleEditorGradients', { runId, unit: 3, array: 'h' });
    let o = await until(() => overlayOf(api, runId), (s) => s?.palette === 'signed' && s.unit?.start === 0, 20_000);
    assert.strictEqual(o?.palette, 'signed', JSON.stringify(o));
    assert.deepEqual({ unit: o!.unit!.unit, array: o!.unit!.array, steps: o!.unit!.steps }, { unit: 3, array: 'h', steps: K });
    const map = TextMap.build(content, [{ start: 0, end: content.length }]);
    const chars = Array.from(content);
    const trainer = new Trainer(content, snapshot(api, runId).config);
    while (!trainer.finished) trainer.advance();
    const check = (snap: OverlaySnapshot, start: number) => {
      const values = trainer.inspect(snap.unit!.epoch!, { position: start }).h;
      let seen = 0;
      for (const r of snap.sample) {
        for (let u = r.start; u < r.end; u++) {
          const pos = map.indexAt(u);
          if (map.docRange(pos)!.start !== u) continue; // an emoji's second unit
          assert.ok(pos >= start && pos < start + K, `position ${pos} is outside the inspected window ${start}…`);
          assert.ok(chars[pos] !== '\r' && chars[pos] !== '\n', 'line breaks are not painted');
          assert.strictEqual(r.bucket, activationBucket(values[(pos - start) * 8 + 3], 'signed'), `position ${pos} (${chars[pos]})`);
          seen++;
        }
      }
      return seen;
    };
    // Window 0: positions 0–9 less the two of the CRLF.
    assert.strictEqual(o!.decorated, 8);
    assert.strictEqual(check(o!, 0), 8);
    const hover = await hoverText(doc.uri, doc.positionAt(2));
    assert.match(hover, /unit 3 · step 2 · `🎉` · h\[3\] = -?\d\.\d{4} \(epoch \d+\)/, hover);

    // The cursor moves into the third window: the panel inspects it, the editor colours it.
    const third = map.docRange(2 * K + 1)!.start;
    editor.selection = new vscode.Selection(doc.positionAt(third), doc.positionAt(third));
    o = await until(() => overlayOf(api, runId), (s) => s?.unit?.start === 2 * K && s.palette === 'signed', 20_000);
    assert.strictEqual(o?.unit?.start, 2 * K, `the cursor's window: ${JSON.stringify(o)}`);
    assert.ok(check(o!, 2 * K) > 0);
    assert.match(await hoverText(doc.uri, doc.positionAt(1)), /not in the inspected window \(characters 20–29\)/);

    // A gate: the 0…1 scale; then unpicked: the gradients again.
    await execOk('rnnLab.toggleEditorGradients', { runId, unit: 3, array: 'f' });
    o = await until(() => overlayOf(api, runId), (s) => s?.palette === 'unit', 20_000);
    assert.strictEqual(o?.unit?.array, 'f');
    await execOk('rnnLab.toggleEditorGradients', { runId, unit: null });
    o = await until(() => overlayOf(api, runId), (s) => s?.palette === 'gradient' && s.unit === null, 20_000);
    assert.strictEqual(o?.unit, null);
    assert.ok((o?.decorated ?? 0) > 8, 'the gradient colours cover every window again');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
