// One status bar item for the active (or most recent) run. Updates are coalesced: runs report
// changes tens of times per second and the status bar only needs a few.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../dispose';
import { stateLabel, statusText } from '../host/format';
import type { RunRegistry } from '../host/runRegistry';
import { t } from '../core/l10n';

const UPDATE_MS = 250;

export class RunStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hasRuns: boolean | undefined;

  constructor(private readonly registry: RunRegistry) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('rnnLab.run', vscode.StatusBarAlignment.Left, 10));
    this.item.name = t('RNN Lab training');
    this.item.command = 'rnnLab.showPanel';
    this._register(registry.onDidChange(() => this.schedule()));
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this.update();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, UPDATE_MS);
  }

  private update(): void {
    const run = this.registry.active;
    this.setHasRuns(run !== undefined);
    if (!run) {
      this.item.hide();
      return;
    }
    this.item.text = statusText(run.state, run.last);
    this.item.tooltip = `${run.title}\n${stateLabel(run.state)}${run.message ? `: ${run.message}` : ''}\n${t('Click to show the training panel.')}`;
    this.item.show();
  }

  /** Drives the `when` clauses of the export commands in the palette. */
  private setHasRuns(value: boolean): void {
    if (this.hasRuns === value) return;
    this.hasRuns = value;
    void vscode.commands.executeCommand('setContext', 'rnnLab.hasRuns', value);
  }
}
