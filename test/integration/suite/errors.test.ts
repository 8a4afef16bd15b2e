// Input the extension must refuse with a message instead of starting a run, and a run that diverges.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/api';
import { exec, getApi, SEED, snapshot, webviewTabs } from './helpers';

describe('refused input', () => {
  let api: RnnLabApi;
  before(async () => {
    api = await getApi();
  });

  const cases: { name: string; text: string; message: RegExp }[] = [
    { name: 'empty text', text: '', message: /empty/i },
    { name: 'one character', text: 'a', message: /one character|at least two/i },
    { name: 'one distinct character', text: 'aaaa', message: /single character|distinct|different/i },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} without starting a run`, async () => {
      const runsBefore = api.runs().length;
      const tabsBefore = webviewTabs().length;
      const r = await exec<string>('rnnLab.trainOnSelection', { text: c.text });
      assert.strictEqual(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.match(r.error, c.message);
      assert.strictEqual(api.runs().length, runsBefore, 'a run was created');
      assert.strictEqual(webviewTabs().length, tabsBefore, 'a panel was opened');
    });
  }

  it('refuses, before any panel opens, a model whose weights file the loader would refuse (MAX_WEIGHTS_BYTES)', async () => {
    const runsBefore = api.runs().length;
    const r = await exec<string>('rnnLab.trainOnSelection', { text: SEED, config: { hiddenSize: 1024 } });
    assert.strictEqual(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
    if (r.ok) return;
    assert.match(r.error, /weights file of this model .* more than the 64(\.0)? MB a weights file may have: use rnnLab\.hiddenSize \d+ or less/);
    assert.strictEqual(api.runs().length, runsBefore, 'a run was created');
  });

  it('refuses an invalid setting and names it', async () => {
    const config = vscode.workspace.getConfiguration('rnnLab');
    const target = vscode.ConfigurationTarget.Global;
    const previous = config.inspect<number>('hiddenSize')?.globalValue;
    const runsBefore = api.runs().length;
    await config.update('hiddenSize', 0, target);
    try {
      const r = await exec<string>('rnnLab.trainOnSelection', { text: SEED });
      assert.strictEqual(r.ok, false, `expected a refusal, got ${JSON.stringify(r)}`);
      if (r.ok) return;
      assert.match(r.error, /rnnLab\.hiddenSize/);
      assert.strictEqual(api.runs().length, runsBefore, 'a run was created');
    } finally {
      await config.update('hiddenSize', previous, target);
    }
  });
});

describe('divergence', () => {
  it('ends a diverging run in state "diverged" with a message naming the epoch', async function () {
    this.timeout(90_000);
    const api = await getApi();
    // ReLU is unbounded: with plain SGD at the largest allowed rate the hidden state overflows.
    const runId = (await exec<string>('rnnLab.trainOnSelection', {
      text: SEED,
      config: { activation: 'relu', optimizer: 'sgd', learningRate: 10, hiddenSize: 64, epochs: 300 },
    }));
    if (!runId.ok) assert.fail(`train failed: ${runId.error}`);
    const s = await api.waitForState(runId.value, ['diverged', 'done', 'crashed', 'stopped'], 60_000);
    assert.strictEqual(s.state, 'diverged', `run ended ${s.state} (${s.message ?? 'no message'})`);
    assert.match(s.message ?? '', /epoch\s*\d+/i);
    assert.ok(snapshot(api, runId.value).state === 'diverged');
    await vscode.window.tabGroups.close(webviewTabs());
  });
});
