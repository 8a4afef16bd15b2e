// The worker's side of the inside requests without a thread: a waiting inspection superseded by a
// newer one is answered as superseded and never computed; typed arrays go out as transfers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsideResponder, SUPERSEDED } from '../../../src/worker/inside';
import { Trainer } from '../../../src/core';
import { DEFAULT_CONFIG } from '../../../src/core/types';
import type { ReplyMessage } from '../../../src/shared/rpc';

const TEXT = 'hello world! nice to meet you! i love iron-man';

test('a superseded inspection is dropped before it is computed; the newest is answered with transferred buffers', async () => {
  const trainer = new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 5 });
  for (let i = 0; i < 3; i++) trainer.advance();
  const inspected: number[] = [];
  const spy = Object.create(trainer) as Trainer;
  spy.inspect = (epoch, options) => {
    inspected.push(epoch);
    return trainer.inspect(epoch, options);
  };
  const replies: { reply: ReplyMessage; transfer: ArrayBuffer[] }[] = [];
  const done = new Promise<void>((resolve) => {
    const responder = new InsideResponder(
      () => spy,
      (reply, transfer) => {
        replies.push({ reply, transfer });
        if (replies.length === 3) resolve();
      },
    );
    responder.handle({ type: 'request', id: 1, kind: 'inspect', params: { epoch: 0 } });
    responder.handle({ type: 'request', id: 2, kind: 'inspect', params: { epoch: 1 } });
    responder.handle({ type: 'request', id: 3, kind: 'inspect', params: { epoch: 2 } });
  });
  await done;
  assert.deepEqual(inspected, [2], 'only the newest inspection ran');
  const byId = new Map(replies.map((r) => [r.reply.id, r]));
  for (const id of [1, 2]) {
    const r = byId.get(id)!.reply;
    assert.ok(!r.ok && r.error === SUPERSEDED, `request ${id} superseded`);
  }
  const last = byId.get(3)!;
  assert.ok(last.reply.ok);
  const value = last.reply.value as { epoch: number; h: Float64Array; gates: unknown };
  assert.equal(value.epoch, 2);
  assert.ok(last.transfer.includes(value.h.buffer as ArrayBuffer), 'h travels as a transfer');
  assert.equal(new Set(last.transfer).size, last.transfer.length, 'each buffer once');
});

test('a gradient check is never dropped, and a core error comes back as the reply', async () => {
  const trainer = new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 5 });
  trainer.advance();
  const replies: ReplyMessage[] = [];
  await new Promise<void>((resolve) => {
    const responder = new InsideResponder(
      () => trainer,
      (reply) => {
        replies.push(reply);
        if (replies.length === 3) resolve();
      },
    );
    responder.handle({ type: 'request', id: 1, kind: 'gradCheck', params: {} });
    responder.handle({ type: 'request', id: 2, kind: 'gradCheck', params: {} });
    responder.handle({ type: 'request', id: 3, kind: 'connectivity', params: { epoch: 0, t: 999 } });
  });
  const ok = replies.filter((r) => r.ok);
  assert.equal(ok.length, 2, 'both checks answered');
  const bad = replies.find((r) => r.id === 3)!;
  assert.ok(!bad.ok && /connectivity step must be an integer from 0 to 44/.test(bad.error), !bad.ok ? bad.error : '');
});
