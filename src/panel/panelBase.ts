// What every RNN Lab webview panel does the same way, written once: the panel options and the
// HTML with its Content-Security-Policy, the ready handshake, validation and dispatch of what
// the webview sends (requests answered by id, failures logged and shown), posting with the
// delivery promise (backpressure), visibility, reveal and dispose. The training, compare and
// model panels extend it and only say what their messages mean.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { Parsed } from '../shared/check';
import { fail, isObject } from '../shared/check';
import type { RenderedFigure, WebviewRequests } from '../shared/protocol';
import { Requester, answer, type ReplyMessage, type RequestMessage } from '../shared/rpc';
import { renderedFigure, wrapCheck } from '../shared/validate';
import { makeNonce, renderWebviewHtml } from './html';
import { t } from '../core/l10n';

/** The two files of a webview bundle under dist/webview/. */
export interface PanelBundle {
  script: string;
  style: string;
}

export interface PanelBaseServices {
  extensionUri: vscode.Uri;
  log(line: string): void;
}

type Notice = { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };
type RequestOf<In> = Extract<In, { type: 'request'; id: number }>;

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // The webview keeps its own state (setState) and the host resends the history on `ready`.
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** How long a figure may take to render, the panel's revealing and loading included. */
const FIGURE_TIMEOUT_MS = 20_000;

export abstract class PanelBase<In extends { type: string }, Out extends { type: string }> extends Disposable {
  private panelGone = false;
  /** The webview said `ready` and has not been hidden since. */
  private loaded = false;
  private readyWaiters: (() => void)[] = [];
  /** Questions to the webview (figures for `rnnLab.exportFigure`). */
  private readonly asks = new Requester<WebviewRequests>((m) => void this.post(m), { peer: t('the panel'), timeoutMs: FIGURE_TIMEOUT_MS });

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    protected readonly base: PanelBaseServices,
    private readonly bundle: PanelBundle,
    private readonly parse: (raw: unknown) => Parsed<In>,
  ) {
    super();
    panel.webview.options = panelOptions(base.extensionUri);
    this._register(panel.onDidDispose(() => this.panelDisposed()));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        // A hidden webview loses its document; it asks again with `ready` when shown.
        if (!panel.visible) {
          this.loaded = false;
          this.onHidden();
        }
        if (panel.active) this.onActive();
      }),
    );
  }

  /**
   * Renders one of the panel's figures as a PNG (the webview draws it at 2×). A hidden panel is
   * shown first (without taking the focus) and its webview given time to load.
   */
  async renderFigure(figure: string): Promise<RenderedFigure> {
    if (this.panelGone) throw new Error(t('the panel is closed'));
    if (!this.loaded) {
      this.panel.reveal(undefined, true);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(t('the panel did not load in time to render the figure'))), FIGURE_TIMEOUT_MS);
        this.readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const value = await this.asks.request('renderFigure', { figure });
    const checked = wrapCheck(() => {
      if (!isObject(value)) fail(t('figure must be an object'));
      return renderedFigure(value, 'figure');
    });
    if (!checked.ok) throw new Error(t('the panel sent a broken figure: {0}', checked.error));
    return checked.value;
  }

  /** Tag of the panel's lines in the output channel. */
  protected abstract get logTag(): string;
  /** The webview loaded (first time, after being shown again, or after a reload). */
  protected abstract onReady(): void;
  /** A validated message other than `ready` and requests. */
  protected abstract onMessage(msg: Exclude<In, { type: 'ready' } | { type: 'request' } | { type: 'reply' }>): void | Promise<void>;
  /** A validated request; its result (or error) goes back to the webview paired by id. */
  protected onRequest(req: RequestOf<In>): unknown {
    throw new Error(t('this panel does not answer {0} requests', JSON.stringify((req as { kind?: unknown }).kind)));
  }
  protected onHidden(): void {}
  protected onActive(): void {}
  /** The user (or dispose) closed the panel; its runs or models go with it. */
  protected abstract onClosed(): void;

  get isOpen(): boolean {
    return !this.panelGone;
  }

  get active(): boolean {
    return !this.panelGone && this.panel.active;
  }

  get title(): string {
    return this.panel.title;
  }

  reveal(): void {
    if (!this.panelGone) this.panel.reveal(undefined, false);
  }

  override dispose(): void {
    if (!this.panelGone) this.panel.dispose(); // ends in panelDisposed
    super.dispose();
  }

  /** Delivers a message; the promise settles when the webview transport has taken it. */
  protected post(msg: Out | ReplyMessage | Notice | RequestMessage<WebviewRequests>): PromiseLike<boolean> | undefined {
    return this.panelGone ? undefined : this.panel.webview.postMessage(msg);
  }

  protected notice(level: Notice['level'], text: string): void {
    void this.post({ type: 'notice', level, text });
  }

  protected render(): void {
    const webview = this.panel.webview;
    const root = vscode.Uri.joinPath(this.base.extensionUri, 'dist', 'webview');
    // The test rig asks for the bundle with read-only test hooks; what ships never has them.
    const script = process.env.RNN_LAB_TEST_HOOKS === '1' ? this.bundle.script.replace(/\.js$/, '.test.js') : this.bundle.script;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, this.bundle.style)).toString(),
      nonce: makeNonce(),
      title: this.panel.title,
      l10n: { language: vscode.env.language, bundle: vscode.l10n.bundle },
    });
  }

  private panelDisposed(): void {
    if (this.panelGone) return;
    this.panelGone = true;
    this.asks.close(new Error(t('the panel was closed')));
    this.onClosed();
    this.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = this.parse(raw);
    if (!parsed.ok) {
      this.base.log(`[${this.logTag}] ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    if (msg.type === 'ready') {
      this.loaded = true;
      this.onReady();
      for (const w of this.readyWaiters.splice(0)) w();
      return;
    }
    if (msg.type === 'reply') {
      this.asks.receive(msg as unknown as ReplyMessage);
      return;
    }
    if (msg.type === 'request') {
      const req = msg as unknown as RequestOf<In>;
      void answer(req.id, () => this.onRequest(req), (reply) => {
        if (!reply.ok) this.base.log(`[${this.logTag}] ${(req as { kind?: string }).kind} failed: ${reply.error}`);
        void this.post(reply);
      });
      return;
    }
    void Promise.resolve()
      .then(() => this.onMessage(msg as Exclude<In, { type: 'ready' } | { type: 'request' } | { type: 'reply' }>))
      .catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        this.base.log(`[${this.logTag}] ${msg.type} failed: ${text}`);
        this.notice('error', text);
      });
  }
}
