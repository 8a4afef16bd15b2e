// Entry of the generation thread (dist/sampleWorker.js): one sample() per thread, so a long text
// from a large model never blocks the extension host, and cancelling is a terminate().
import { parentPort, workerData } from 'node:worker_threads';
import { parseWeights, sample } from '../core';
import type { SampleRequest, SampleReply } from '../weights/sampleRunner';

if (!parentPort) throw new Error('sampleWorker must run in a worker thread');

const request = workerData as SampleRequest;
let reply: SampleReply;
try {
  reply = { ok: true, text: sample(parseWeights(request.json), request.options) };
} catch (err) {
  reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
}
parentPort.postMessage(reply);
