// rnnLab.maxConcurrentRuns in the real extension host: five quick starts never train more than
// the limit at once, the rest wait queued and start as runs end; "stop the oldest" makes room.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RnnLabApi, RunSnapshot } from '../../../src/api';
import { execOk, getApi, SEED, until, webviewTabs } from './helpers';

const TRAINING = new Set(['starting', 'running', 'paused']);

describe('rnnLab.maxConcurrentRuns', function () {
  let api: RnnLabApi;
  const config = () => vscode.workspace.getConfiguration('rnnLab');

  before(async () => {
    api = await getApi();
    await config().update('maxConcurrentRuns', 2, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('maxConcurrentRuns', undefined, vscode.ConfigurationTarget.Global);
    await vscode.window.tabGroups.close(webviewTabs());
  });

  it('five quick starts: at most two train at once, three wait queued, all five finish', async function () {
    this.timeout(180_000);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 2500, seed: i + 1 }, whenBusy: 'wait' }));
    const mine = (): RunSnapshot[] => api.runs().filter((r) => ids.includes(r.runId));
    const first = mine();
    assert.strictEqual(first.filter((r) => r.state === 'queued').length, 3, `states right after the starts: ${first.map((r) => r.state).join(', ')}`);
    let most = 0;
    let sawQueuedStart = false;
    const deadline = Date.now() + 170_000;
    for (;;) {
      const now = mine();
      const training = now.filter((r) => TRAINING.has(r.state)).length;
      most = Math.max(most, training);
      if (now.slice(2).some((r) => r.state !== 'queued')) sawQueuedStart = true;
      if (now.every((r) => r.state === 'done') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    const end = mine();
    assert.deepStrictEqual(end.map((r) => r.state), ['done', 'done', 'done', 'done', 'done']);
    assert.ok(most <= 2, `${most} runs trained at once with a limit of 2`);
    assert.strictEqual(most, 2, 'the limit was never used in full');
    assert.ok(sawQueuedStart, 'no queued run ever started');
    for (const r of end) assert.strictEqual(r.epochsDone, 2500, `${r.runId} trained ${r.epochsDone} epochs`);
    await vscode.window.tabGroups.close(webviewTabs());
  });

  it('"stop the oldest" stops the oldest training run and the new one takes its slot', async function () {
    this.timeout(120_000);
    const a = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 100000 }, whenBusy: 'wait' });
    const b = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 100000 }, whenBusy: 'wait' });
    await api.waitForState(a, ['running'], 30_000);
    const c = await execOk<string>('rnnLab.trainOnSelection', { text: SEED, config: { epochs: 300 }, whenBusy: 'stopOldest' });
    const stopped = await api.waitForState(a, ['stopped'], 30_000);
    assert.strictEqual(stopped.state, 'stopped');
    const done = await api.waitForState(c, ['done'], 60_000);
    assert.strictEqual(done.epochsDone, 300);
    const other = api.runs().find((r) => r.runId === b);
    assert.ok(other && TRAINING.has(other.state), `the second run should still train, it is ${other?.state}`);
    await execOk('rnnLab.showPanel', { runId: b });
    // The extension host's tab model follows the workbench asynchronously: on a loaded machine the
    // reveal can reach it after the tabs were listed, and a close of a stale tab is dropped. Closing
    // again whatever webview tabs remain is what a user does; the worker must end with its tab.
    const closedAt = Date.now();
    let closes = 0;
    let closed = api.runs().find((r) => r.runId === b);
    while (closed?.workerAlive && Date.now() - closedAt < 10_000) {
      const tabs = webviewTabs();
      if (tabs.length > 0) {
        closes++;
        await vscode.window.tabGroups.close(tabs);
      }
      closed = await until(() => api.runs().find((r) => r.runId === b), (r) => r !== undefined && !r.workerAlive, 1_000);
    }
    assert.strictEqual(closed?.workerAlive, false, `the second run's worker outlived ${closes} close(s) of the webview tabs (${webviewTabs().length} left)`);
  });
});
