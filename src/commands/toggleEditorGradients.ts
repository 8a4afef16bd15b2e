// "RNN Lab: Toggle Gradients in Editor": the same switch as the panel's "Show in Editor"; with
// `unit` (scripts, tests) it picks a unit of "Inside the network", whose activation then colours
// the editor instead of the gradients.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import type { RunRegistry } from '../host/runRegistry';
import type { OverlayManager } from '../panel/overlayManager';
import { TrainingPanel } from '../panel/trainingPanel';
import { parseToggleOverlayArgs } from '../shared/validate';
import { fail } from './result';
import { t } from '../core/l10n';

/**
 * Which panel: `arg.runId`'s, else the one whose text the active editor shows, else the active
 * run's. Returns the run and the state the overlay is in afterwards.
 */
export async function toggleEditorGradients(registry: RunRegistry, overlays: OverlayManager, arg: unknown): Promise<CommandResult<{ runId: string; on: boolean; available: boolean }>> {
  const parsed = parseToggleOverlayArgs(arg);
  if (!parsed.ok) return fail(t('RNN Lab: invalid argument: {0}', parsed.error));
  const editorUri = vscode.window.activeTextEditor?.document.uri.toString();
  const runId = parsed.value.runId ?? (editorUri === undefined ? undefined : overlays.forDocument(editorUri)?.runId) ?? registry.active?.runId;
  if (runId === undefined) return fail(t('RNN Lab: no training panel is open: train on a selection first.'));
  const owner = registry.ownerOf(runId);
  if (!owner) return fail(t('RNN Lab: no open panel shows run {0}.', runId));
  if (!(owner instanceof TrainingPanel)) return fail(t('RNN Lab: the Compare Cells panel does not colour the editor; use a training panel.'));
  const { unit, array } = parsed.value;
  // With a unit (or null) and no `on`, the command picks the unit and leaves the switch as it is.
  if (parsed.value.on !== undefined || unit === undefined) owner.setOverlay(parsed.value.on ?? !owner.overlayOn);
  if (unit !== undefined) owner.pickUnit(unit, array);
  const snap = owner.overlaySnapshot();
  if (!snap.available && snap.reason) void vscode.window.showInformationMessage(t('RNN Lab: {0}', snap.reason));
  return { ok: true, value: { runId, on: snap.on, available: snap.available } };
}
