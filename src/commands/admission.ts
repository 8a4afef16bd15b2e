// Before a command opens a panel that trains: if rnnLab.maxConcurrentRuns runs already train,
// the user decides whether the new run waits in the queue or the oldest run stops to make room.
// Either way the new run is created at once; the slots (src/host/runSlots.ts) start it.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import type { RunRegistry } from '../host/runRegistry';
import type { RunSlots } from '../host/runSlots';
import type { WhenBusy } from '../shared/validate';
import { fail } from './result';
import { t } from '../core/l10n';

export async function admitRun(slots: RunSlots, registry: RunRegistry, whenBusy: WhenBusy = 'ask', needed = 1): Promise<CommandResult<void>> {
  if (!slots.full) return { ok: true, value: undefined };
  let choice = whenBusy;
  if (choice === 'ask') {
    const n = slots.training.length;
    // Translated here, not at load: the translator is installed at activation, after the imports.
    const stopOldest = t('Stop Oldest Run');
    const queue = t('Queue This Run');
    const picked = await vscode.window.showWarningMessage(
      n === 1
        ? t('1 run is training, the most rnnLab.maxConcurrentRuns ({0}) allows.', slots.max())
        : t('{0} runs are training, the most rnnLab.maxConcurrentRuns ({1}) allows.', n, slots.max()),
      {
        modal: true,
        detail:
          needed === 1
            ? t('Stop the oldest run to make room, or queue the new run: a queued run starts when another one ends.')
            : t('Stop the oldest run to make room, or queue the {0} new runs: a queued run starts when another one ends.', needed),
      },
      stopOldest,
      queue,
    );
    if (picked === undefined) return fail(t('Nothing started: every training slot is taken (rnnLab.maxConcurrentRuns).'));
    choice = picked === stopOldest ? 'stopOldest' : 'wait';
  }
  if (choice === 'stopOldest') {
    const oldest = slots.training[0];
    const run = oldest === undefined ? undefined : registry.get(oldest);
    // The slot frees when the worker reports 'stopped'; the new run waits for it in the queue.
    run?.control('stop');
  }
  return { ok: true, value: undefined };
}
