// Entry of the generation thread (dist/sampleWorker.js): one sample() per thread, so a long text
// from a large model never blocks the extension host, and cancelling is a terminate().
import { parentPort, workerData } from 'node:worker_threads';
import { parseWeights, sample } from '../core';
import { bundleTranslator, setTranslator, t } from '../core/l10n';
import type { SampleRequest, SampleReply } from '../weights/sampleRunner';

const request = workerData as SampleRequest;
// The host's loaded translations, so the prefix and length messages are in the display language.
setTranslator(bundleTranslator(request?.l10n));
if (!parentPort) throw new Error(t('{0} must run in a worker thread', 'sampleWorker'));
let reply: SampleReply;
try {
  reply = { ok: true, text: sample(parseWeights(request.json), request.options) };
} catch (err) {
  reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
}
parentPort.postMessage(reply);
