// Shared by the integration suites: the extension's API, result unwrapping, editor helpers.
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandResult, RnnLabApi, RunSnapshot } from '../../../src/api';

export const EXTENSION_ID = 'rnn-lab.rnn-lab';
export const SEED = 'hello world! nice to meet you! i love iron-man';

export async function getApi(): Promise<RnnLabApi> {
  const ext = vscode.extensions.getExtension<RnnLabApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned no API');
  return api;
}

/** Where a test may write files: the rig's per-run folder, else the OS temp dir (manual runs). */
export function artifactsDir(): string {
  return process.env.RNN_LAB_TEST_ARTIFACTS || os.tmpdir();
}

export function artifactPath(name: string): string {
  return path.join(artifactsDir(), name);
}

export async function exec<T>(command: string, ...args: unknown[]): Promise<CommandResult<T>> {
  const r = await vscode.commands.executeCommand<CommandResult<T>>(command, ...args);
  assert.ok(r && typeof r === 'object' && 'ok' in r, `${command} returned ${JSON.stringify(r)} instead of a CommandResult`);
  return r;
}

export async function execOk<T>(command: string, ...args: unknown[]): Promise<T> {
  const r = await exec<T>(command, ...args);
  if (!r.ok) assert.fail(`${command} failed: ${r.error}`);
  return r.value;
}

/** An untitled editor holding `text`, fully selected, as a user would before running the command. */
export async function editorWithSelection(text: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = doc.positionAt(doc.getText().length);
  editor.selection = new vscode.Selection(new vscode.Position(0, 0), end);
  return editor;
}

export function snapshot(api: RnnLabApi, runId: string): RunSnapshot {
  const s = api.runs().find((r) => r.runId === runId);
  assert.ok(s, `run ${runId} not in api.runs()`);
  return s;
}

/** Polls `predicate` until it holds or `timeoutMs` passes; returns its last value for the assertion message. */
export async function until<T>(read: () => T, predicate: (v: T) => boolean, timeoutMs: number, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = read();
  while (!predicate(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, stepMs));
    v = read();
  }
  return v;
}

/** Closes an untitled editor without the "save changes?" dialog that would block the test host. */
export async function revertAndCloseUntitled(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Tabs that show a webview panel (the training panels; no other extension opens one here). */
export function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}
