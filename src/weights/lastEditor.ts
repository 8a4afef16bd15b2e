// The text editor a command started from a webview (the model panel's buttons) should use:
// while a webview has focus VS Code reports no active text editor, so the last one that had
// focus is remembered, as long as it is still visible.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';

export class LastTextEditor extends Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor() {
    super();
    this._register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.last = e;
      }),
    );
  }

  get(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    const visible = vscode.window.visibleTextEditors;
    if (this.last && visible.includes(this.last)) return this.last;
    // The same document may be shown by a new TextEditor object after a layout change.
    const shown = visible.find((e) => e.document === this.last?.document);
    if (shown) return shown;
    // Hidden behind a panel in its group: its last selection is still what the user meant.
    return this.last && !this.last.document.isClosed ? this.last : undefined;
  }

  /** An editor that accepts edits: a hidden one is shown again with its selection first. */
  async editable(): Promise<vscode.TextEditor | undefined> {
    const editor = this.get();
    if (!editor || vscode.window.visibleTextEditors.includes(editor)) return editor;
    return vscode.window.showTextDocument(editor.document, { selection: editor.selection, preview: false });
  }
}
