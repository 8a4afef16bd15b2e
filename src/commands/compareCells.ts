// "RNN Lab: Compare Cells on Selection": the same text, seed, hidden size and budget trained by
// an RNN, an LSTM and a GRU at once, in one panel. Input rules are trainOnSelection's.
import type { CommandResult } from '../api';
import { ComparePanel } from '../panel/comparePanel';
import type { PanelServices } from '../panel/trainingPanel';
import { admitRun } from './admission';
import { resolveTrainingInput } from './trainingInput';
import { t } from '../core/l10n';

/** `arg` is `{ text?, config? }` (tests, automation) or the document's Uri (context menu). Returns the run ids: RNN, LSTM, GRU. */
export async function compareCells(services: PanelServices, arg: unknown): Promise<CommandResult<string[]>> {
  // The cell is what this command varies; a cell in the argument would be silently overridden.
  const input = resolveTrainingInput(arg, (overrides) =>
    overrides.cell !== undefined ? t('argument.config.cell is chosen by the compare command (it trains all three cells)') : undefined,
  );
  if (!input.ok) return input;
  const { source, settings, plan, whenBusy } = input.value;
  const admitted = await admitRun(services.slots, services.registry, whenBusy, 3);
  if (!admitted.ok) return admitted;
  const panel = ComparePanel.create(services, { text: source.text, printEvery: settings.printEvery, notes: [...source.notes, ...plan.notes], epochsPerSecond: settings.epochsPerSecond }, plan.config);
  return { ok: true, value: panel.runIds };
}
