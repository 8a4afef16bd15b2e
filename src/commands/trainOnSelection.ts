// "RNN Lab: Train RNN on Selection": decides the text and the configuration, refuses bad input
// before anything opens, then opens a panel whose worker trains.
import type { CommandResult } from '../api';
import { TrainingPanel, type PanelServices } from '../panel/trainingPanel';
import { admitRun } from './admission';
import { resolveTrainingInput } from './trainingInput';

/**
 * `arg` is `{ text?, config? }` from tests and automation; from the editor context menu VS Code
 * passes the document's Uri instead, which means "use the editor".
 */
export async function trainOnSelection(services: PanelServices, arg: unknown): Promise<CommandResult<string>> {
  const input = resolveTrainingInput(arg);
  if (!input.ok) return input;
  const { source, settings, plan, whenBusy, overlayTarget } = input.value;
  const admitted = await admitRun(services.slots, services.registry, whenBusy);
  if (!admitted.ok) return admitted;
  const panel = TrainingPanel.create(services, { text: source.text, printEvery: settings.printEvery, sourceNotes: source.notes, epochsPerSecond: settings.epochsPerSecond, overlayTarget }, plan.config, plan.notes);
  return { ok: true, value: panel.runId };
}
