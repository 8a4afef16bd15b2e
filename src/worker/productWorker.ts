// Entry of the inspection's second thread (dist/productWorker.js): serves the recurrent
// products a ProductPartner in the starting thread asks for, until it quits.
import { workerData } from 'node:worker_threads';
import { serveProducts } from '../core/split';

serveProducts(workerData as SharedArrayBuffer);
