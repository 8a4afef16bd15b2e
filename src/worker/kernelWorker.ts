// Entry of the training's second thread (dist/kernelWorker.js): runs the kernel calls a
// KernelPartner in the starting thread asks for, on the memory it sends, until it quits.
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveKernels } from '../core/partner';

const { buffer, port } = workerData as { buffer: SharedArrayBuffer; port: MessagePort };
serveKernels(buffer, () => receiveMessageOnPort(port)?.message);
