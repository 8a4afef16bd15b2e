// Figures out: Save as PNG… hands the host a PNG at 2× pixel density, with the run's title;
// the host can ask for any figure by name (rnnLab.exportFigure).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, openPanel, useSharedBrowser } from './harness';
import { epoch, init, matrixValues, runInfo } from './fixtures';
import type { HostToWebview } from '../../src/shared/protocol';

const shared = useSharedBrowser();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b64: string): { width: number; height: number } {
  const bytes = Buffer.from(b64, 'base64');
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('figures', () => {
  it('Save as PNG… sends the figure at 2× with its size', async () => {
    const p = await openPanel(shared.browser, shared.server);
    await p.page.setViewportSize({ width: 700, height: 800 });
    const run = runInfo({ title: 'hello · rnn h20 e600' });
    await p.send(init(run, [0, 1, 2, 3].map((n) => epoch(n, run.steps))));
    await p.frames();
    const cssWidth = await p.page.locator('#sec-loss canvas').evaluate((c) => (c as HTMLCanvasElement).clientWidth);
    await p.page.locator('#sec-loss .figure-button').click();
    const posted = await p.page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string; kind?: string }[] }).__posted.find((m) => m.type === 'request' && m.kind === 'saveFigure'),
    );
    const req = (await posted.jsonValue()) as unknown as { params: { figure: string; png: string; width: number; height: number } };
    assert.equal(req.params.figure, 'loss');
    const size = pngSize(req.params.png);
    assert.deepEqual(size, { width: req.params.width, height: req.params.height });
    assert.ok(size.width >= 2 * cssWidth, `2× the chart's ${cssWidth} CSS px (got ${size.width})`);
    writeFileSync(join(ARTIFACTS, 'figure-loss.png'), Buffer.from(req.params.png, 'base64'));
    await p.page.close();
  });

  it('answers the host’s renderFigure for every figure, and an error for an unknown one', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, [0, 1, 2].map((n) => epoch(n, run.steps)), { state: 'paused' }));
    await p.answer('matrix', { epoch: 2, size: run.steps, values: matrixValues(run.steps) });
    await p.frames();
    for (const [id, figure] of ['heatmap', 'loss', 'accuracy', 'why', 'row', 'sigma', 'matrix'].entries()) {
      await p.send({ type: 'request', id: 100 + id, kind: 'renderFigure', params: { figure } } as HostToWebview);
      const reply = await p.page.waitForFunction((rid) => (window as unknown as { __posted: { type: string; id?: number }[] }).__posted.find((m) => m.type === 'reply' && m.id === rid), 100 + id);
      const r = (await reply.jsonValue()) as unknown as { ok: boolean; value?: { png: string; width: number; height: number }; error?: string };
      assert.ok(r.ok, `${figure}: ${r.error}`);
      assert.deepEqual(pngSize(r.value!.png), { width: r.value!.width, height: r.value!.height }, figure);
      if (figure === 'heatmap') writeFileSync(join(ARTIFACTS, 'figure-heatmap.png'), Buffer.from(r.value!.png, 'base64'));
    }
    await p.send({ type: 'request', id: 999, kind: 'renderFigure', params: { figure: 'nope' } } as HostToWebview);
    const bad = await p.page.waitForFunction(() => (window as unknown as { __posted: { type: string; id?: number }[] }).__posted.find((m) => m.type === 'reply' && m.id === 999));
    assert.match(((await bad.jsonValue()) as unknown as { error: string }).error, /no figure "nope".*heatmap, loss/);
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });
});
