// The panel's export buttons: click, answer the save dialog, read the written file from disk and
// hold it against what the panel shows.
import { mkdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { codePoints, parseWeights } from '../../../src/core/index';
import { validateAgainstSchema } from '../support/jsonSchema';
import {
  answerFileDialog,
  check,
  clickPanelButton,
  screenshot,
  trainOnSample,
  waitForDone,
  waitForFile,
  waitForNotification,
  type PanelReading,
  type UiContext,
  type UiScenario,
} from './helpers';

const EPOCHS = 600;
const CSV_HEADER = 'epoch,loss,accuracy,sigmaMaxWhh,shrinkPerStep,reach1pct,clipped,predicted';

interface CsvRow {
  epoch: number;
  loss: number;
  accuracy: number;
  sigmaMaxWhh: number;
  predicted: string;
}

/** The export's CSV: CRLF lines, numbers as JavaScript prints them, the prediction quoted. */
function parseMetricsCsv(text: string): CsvRow[] {
  const lines = text.split('\r\n');
  if (lines[0] !== CSV_HEADER) throw new Error(`header is ${JSON.stringify(lines[0])}`);
  if (lines[lines.length - 1] !== '') throw new Error('the file does not end with CRLF');
  return lines.slice(1, -1).map((line, i) => {
    const m = /^(\d+),([^,]+),([^,]+),([^,]+),([^,]*),([^,]*),([01]),"((?:[^"]|"")*)"$/.exec(line);
    if (!m) throw new Error(`row ${i + 1} is not ${CSV_HEADER}: ${line}`);
    return { epoch: Number(m[1]), loss: Number(m[2]), accuracy: Number(m[3]), sigmaMaxWhh: Number(m[4]), predicted: m[8].replace(/""/g, '"') };
  });
}

/** The seed-style history lines the panel shows: "#30, Loss: 1.234567, Acc: 0.511111, Test_string: "…"". */
function parseHistory(lines: readonly string[]): { epoch: number; loss: string; accuracy: string; predicted: string }[] {
  return lines.map((l) => {
    const m = /^#(\d+), Loss: (\S+), Acc: (\S+), Test_string: "(.*)"$/.exec(l);
    if (!m) throw new Error(`history line not in the seed's format: ${l}`);
    return { epoch: Number(m[1]), loss: m[2], accuracy: m[3], predicted: m[4] };
  });
}

/** A fresh folder in the workspace for this scenario's files (the dialog needs an existing folder). */
function exportDir(ctx: UiContext): string {
  const dir = path.join(ctx.workspace, 'exports', ctx.scenario);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Checks that per-epoch values agree with every history line and the status line of the panel. */
function checkAgainstPanel(what: string, rows: readonly { epoch: number; loss: number; accuracy: number; predicted: string }[], r: PanelReading): void {
  check(rows.length === EPOCHS, `${what}: one row per epoch (${EPOCHS})`, rows.length);
  rows.forEach((row, i) => check(row.epoch === i, `${what}: row ${i} is epoch ${i}`, row.epoch));
  const last = rows[rows.length - 1];
  check(last.loss.toFixed(6) === r.loss, `${what}: last loss ${last.loss} prints as the panel's ${r.loss}`, r.statusLine);
  const history = parseHistory(r.history);
  check(history.length >= EPOCHS / 30, `the panel shows its history (${history.length} lines)`, r.history.slice(-3));
  for (const h of history) {
    const row = rows[h.epoch];
    check(
      row !== undefined && row.loss.toFixed(6) === h.loss && row.accuracy.toFixed(6) === h.accuracy && row.predicted === h.predicted,
      `${what}: epoch ${h.epoch} agrees with the panel's history line`,
      { row, history: h },
    );
  }
}

const exportMetrics: UiScenario = {
  name: 'export-metrics',
  async run(ctx) {
    const checked: string[] = [];
    const frame = await trainOnSample(ctx);
    const r = await waitForDone(ctx, frame, EPOCHS);
    const dir = exportDir(ctx);

    const csvFile = path.join(dir, 'metrics.csv');
    await clickPanelButton(frame, 'exportCsv');
    await answerFileDialog(ctx, csvFile);
    const csv = await waitForFile(csvFile, parseMetricsCsv);
    const csvNote = await waitForNotification(ctx, /^Metrics \(\d+ epochs\) exported to /);
    check(csvNote === `Metrics (${EPOCHS} epochs) exported to ${csvFile}`, 'the notification names the epochs and the file', csvNote);
    checkAgainstPanel('CSV', csv, r);
    check(csv[EPOCHS - 1].predicted === ctx.sentence, 'CSV: the last prediction is the sentence', csv[EPOCHS - 1]);
    checked.push(`CSV: header "${CSV_HEADER}", ${csv.length} rows, last loss ${csv[EPOCHS - 1].loss} (panel ${r.loss}), every history line matches`);

    const jsonFile = path.join(dir, 'metrics.json');
    await clickPanelButton(frame, 'exportJson');
    await answerFileDialog(ctx, jsonFile);
    const json = await waitForFile(jsonFile, (t) => JSON.parse(t) as Record<string, unknown>);
    const keys = ['format', 'version', 'title', 'text', 'config', 'state', 'firstEpoch', 'steps', 'stepLabels', 'droppedRows', 'epochs'];
    check(JSON.stringify(Object.keys(json)) === JSON.stringify(keys), 'JSON: the documented keys in order', Object.keys(json));
    check(json.format === 'rnn-lab-metrics' && json.version === 2, 'JSON: format rnn-lab-metrics, version 2', { format: json.format, version: json.version });
    check(json.text === ctx.sentence && json.state === 'done', 'JSON: the trained text and the final state', { text: json.text, state: json.state });
    check((json.config as { epochs?: number }).epochs === EPOCHS, `JSON: config.epochs ${EPOCHS}`, json.config);
    check(json.steps === codePoints(ctx.sentence).length - 1, 'JSON: one step per predicted character', json.steps);
    const epochs = json.epochs as { epoch: number; loss: number; accuracy: number; predicted: string; sigmaMaxWhh: number; rowsKept: boolean; lastLossGradNorm?: number[]; stepShrink?: (number | null)[] }[];
    checkAgainstPanel('JSON', epochs, r);
    const last = epochs[epochs.length - 1];
    check(
      epochs.every((e) => e.rowsKept) && last.lastLossGradNorm?.length === json.steps && last.stepShrink?.length === (json.steps as number) - 1,
      'JSON: every epoch kept its rows, with the derived step-shrink row',
      { rowsKept: last.rowsKept, steps: json.steps },
    );
    epochs.forEach((e, i) =>
      check(e.loss === csv[i].loss && e.accuracy === csv[i].accuracy && e.sigmaMaxWhh === csv[i].sigmaMaxWhh, `JSON and CSV agree at epoch ${i}`, { json: e, csv: csv[i] }),
    );
    checked.push(`JSON: keys ${keys.join(',')}, ${epochs.length} epochs equal to the CSV's, state done`);
    await screenshot(ctx, 'after-exports');
    return checked;
  },
};

const exportWeights: UiScenario = {
  name: 'export-weights',
  async run(ctx) {
    const checked: string[] = [];
    const frame = await trainOnSample(ctx);
    const r = await waitForDone(ctx, frame, EPOCHS);
    const file = path.join(exportDir(ctx), 'weights.json');
    await clickPanelButton(frame, 'exportWeights');
    await answerFileDialog(ctx, file);
    const text = await waitForFile(file, (t) => {
      JSON.parse(t);
      return t;
    });
    const note = await waitForNotification(ctx, /^Weights exported to /);
    check(note === `Weights exported to ${file}`, 'the notification names the file', note);

    const schema = JSON.parse(readFileSync(path.join(ctx.repoRoot, 'schema', 'weights.schema.json'), 'utf8')) as Record<string, unknown>;
    const problems = validateAgainstSchema(JSON.parse(text), schema);
    check(problems.length === 0, 'the file is valid against schema/weights.schema.json', problems.slice(0, 5));
    checked.push('valid against schema/weights.schema.json');
    // The extension's own loader checks what the schema cannot: shapes against vocab and hidden size.
    const w = parseWeights(text);
    const vocab = [...new Set(codePoints(ctx.sentence))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    check(JSON.stringify(w.vocab) === JSON.stringify(vocab), 'vocab is the sentence’s characters sorted by code point', w.vocab);
    check(w.cell === 'rnn' && w.hiddenSize === 20, 'an RNN with 20 hidden units (the defaults)', { cell: w.cell, hiddenSize: w.hiddenSize });
    check(JSON.stringify(w.params.W_xh.shape) === JSON.stringify([vocab.length, 20]), 'W_xh is V×H', w.params.W_xh.shape);
    check(w.training?.epochsDone === EPOCHS, `trained ${EPOCHS} epochs`, w.training);
    check(w.training?.finalMetrics?.loss?.toFixed(6) === r.loss, `final loss prints as the panel's ${r.loss}`, w.training?.finalMetrics);
    checked.push(`parses as rnn-lab.weights: V=${vocab.length}, H=20, ${w.training?.epochsDone} epochs, final loss ${w.training?.finalMetrics?.loss} (panel ${r.loss})`);
    return checked;
  },
};

export const scenarios: UiScenario[] = [exportMetrics, exportWeights];
