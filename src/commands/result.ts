import * as vscode from 'vscode';
import type { CommandResult } from '../api';

/** Shows the error to the user and returns it to the caller, so tests see what the user saw. */
export function fail(error: string): CommandResult<never> {
  void vscode.window.showErrorMessage(error);
  return { ok: false, error };
}
