// Before a command opens a panel that trains: if rnnLab.maxConcurrentRuns runs already train,
// the user decides whether the new run waits in the queue or the oldest run stops to make room.
// Either way the new run is created at once; the slots (src/host/runSlots.ts) start it.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import type { RunRegistry } from '../host/runRegistry';
import type { RunSlots } from '../host/runSlots';
import type { WhenBusy } from '../shared/validate';
import { fail } from './result';

const STOP_OLDEST = 'Stop Oldest Run';
const QUEUE = 'Queue This Run';

export async function admitRun(slots: RunSlots, registry: RunRegistry, whenBusy: WhenBusy = 'ask', needed = 1): Promise<CommandResult<void>> {
  if (!slots.full) return { ok: true, value: undefined };
  let choice = whenBusy;
  if (choice === 'ask') {
    const n = slots.training.length;
    const picked = await vscode.window.showWarningMessage(
      `${n} run${n === 1 ? ' is' : 's are'} training, the most rnnLab.maxConcurrentRuns (${slots.max()}) allows.`,
      { modal: true, detail: `Stop the oldest run to make room, or queue ${needed === 1 ? 'the new run' : `the ${needed} new runs`}: a queued run starts when another one ends.` },
      STOP_OLDEST,
      QUEUE,
    );
    if (picked === undefined) return fail('Nothing started: every training slot is taken (rnnLab.maxConcurrentRuns).');
    choice = picked === STOP_OLDEST ? 'stopOldest' : 'wait';
  }
  if (choice === 'stopOldest') {
    const oldest = slots.training[0];
    const run = oldest === undefined ? undefined : registry.get(oldest);
    // The slot frees when the worker reports 'stopped'; the new run waits for it in the queue.
    run?.control('stop');
  }
  return { ok: true, value: undefined };
}
