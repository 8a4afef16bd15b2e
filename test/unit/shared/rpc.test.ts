// Requests paired with replies by id: results, errors, timeouts, superseded requests, closing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Requester, RequestSuperseded, RequestTimeout, answer, isReply, type ReplyMessage, type RequestMessage } from '../../../src/shared/rpc';

interface Map {
  double: { params: { n: number }; result: number };
  fail: { params: Record<string, never>; result: never };
  slow: { params: { n: number }; result: number };
}

/** A peer that answers through `answer`, in reverse order of arrival, when told to. */
function peer() {
  const inbox: RequestMessage<Map>[] = [];
  const req = new Requester<Map>((m) => inbox.push(m), { timeoutMs: 50, latestOnly: ['slow'], peer: 'the test peer' });
  const flush = async () => {
    for (const m of inbox.splice(0).reverse()) {
      await answer(
        m.id,
        () => {
          if (m.kind === 'fail') throw new Error('no such thing');
          return (m.params as { n: number }).n * 2;
        },
        (r) => req.receive(r),
      );
    }
  };
  return { req, inbox, flush };
}

test('replies reach their own request whatever order they come in', async () => {
  const { req, flush } = peer();
  const a = req.request('double', { n: 1 });
  const b = req.request('double', { n: 5 });
  await flush();
  assert.deepEqual(await Promise.all([a, b]), [2, 10]);
  assert.equal(req.inFlight, 0);
});

test('an error on the other side rejects with its message; a late or foreign reply is ignored', async () => {
  const { req, flush } = peer();
  const p = req.request('fail', {});
  await flush();
  await assert.rejects(p, /no such thing/);
  assert.equal(req.receive({ type: 'reply', id: 999, ok: true, value: 1 }), false);
});

test('no answer within the timeout rejects, naming the peer and the kind', async () => {
  const { req } = peer();
  await assert.rejects(req.request('double', { n: 1 }), (e: Error) => e instanceof RequestTimeout && /the test peer did not answer the double request/.test(e.message));
});

test('a newer latest-only request drops the older one', async () => {
  const { req, flush } = peer();
  const old = req.request('slow', { n: 1 });
  const fresh = req.request('slow', { n: 2 });
  await assert.rejects(old, RequestSuperseded);
  await flush();
  assert.equal(await fresh, 4);
});

test('closing rejects what is pending and everything later', async () => {
  const { req } = peer();
  const p = req.request('double', { n: 1 });
  req.close(new Error('worker gone'));
  await assert.rejects(p, /worker gone/);
  await assert.rejects(req.request('double', { n: 2 }), /worker gone/);
});

test('isReply accepts exactly the two reply shapes', () => {
  const ok: ReplyMessage = { type: 'reply', id: 1, ok: true, value: null };
  assert.equal(isReply(ok), true);
  assert.equal(isReply({ type: 'reply', id: 1, ok: false, error: 'x' }), true);
  assert.equal(isReply({ type: 'reply', id: 1, ok: false }), false);
  assert.equal(isReply({ type: 'reply', id: '1', ok: true }), false);
  assert.equal(isReply(null), false);
});
