// The editor side of every panel's overlay: one fixed set of decoration types (a colour per
// bucket, one underline), the editor and document events, the hover, and the repaint throttle.
// Only the visible ranges of an editor are painted, so a long text costs what is on screen.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { BUCKETS, REPAINT_MS, bucketColor, divergingBucketColor, repaintGap, type Palette } from '../host/overlayPaint';
import type { Rgb } from '../shared/colormap';
import type { EditorOverlay } from './editorOverlay';

/** Repaints at most this often (the panel sends its playhead at most ten times a second too). */
export { REPAINT_MS };
/** Alpha of the colours: the text stays readable on light, dark and high-contrast backgrounds. */
const ALPHA_DARK = 0.45;
const ALPHA_LIGHT = 0.5;
/** Lines painted beyond each visible range, so a small scroll shows colour before the repaint. */
const MARGIN_LINES = 10;

function rgba([r, g, bl]: Rgb, alpha: number): string {
  return `rgba(${r}, ${g}, ${bl}, ${alpha})`;
}

export class OverlayManager extends Disposable {
  /** Viridis buckets: the gradient norms, and a picked unit's gate in 0…1. */
  private readonly bucketTypes: vscode.TextEditorDecorationType[];
  /** Diverging buckets (blue −1, light 0, red +1): a picked unit's h, c or tanh gate. */
  private readonly divergingTypes: vscode.TextEditorDecorationType[];
  private readonly wrongType: vscode.TextEditorDecorationType;
  /** Most recently active last: it wins a document shown by two panels' overlays. */
  private readonly overlays: EditorOverlay[] = [];
  /** Editors that carry this extension's decorations now. */
  private readonly painted = new Set<vscode.TextEditor>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Time between repaints: REPAINT_MS, plus a share of the ranges the last paint sent. The
   * workbench redraws every decorated range on each paint; 4,000 ranges of a long text ten
   * times a second kept it so busy that a new panel took 29 s to appear (20 KB selection).
   */
  private gap = REPAINT_MS;
  private lastPaint = -Infinity;

  constructor() {
    super();
    const types = (colour: (b: number) => Rgb) =>
      Array.from({ length: BUCKETS }, (_, b) =>
        this._register(
          vscode.window.createTextEditorDecorationType({
            // High-contrast themes take the light or dark variant; the alpha keeps the theme's text colour readable on every bucket.
            light: { backgroundColor: rgba(colour(b), ALPHA_LIGHT) },
            dark: { backgroundColor: rgba(colour(b), ALPHA_DARK) },
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        ),
      );
    this.bucketTypes = types(bucketColor);
    this.divergingTypes = types(divergingBucketColor);
    this.wrongType = this._register(
      vscode.window.createTextEditorDecorationType({
        textDecoration: 'underline wavy var(--vscode-editorError-foreground)',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    );
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.repaint()));
    this._register(vscode.window.onDidChangeTextEditorVisibleRanges(() => this.repaint()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e)));
    // Window mode: the panel inspects the window holding the cursor.
    this._register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const overlay = this.forDocument(e.textEditor.document.uri.toString());
        if (overlay && e.selections.length > 0) overlay.cursorAt(e.textEditor.document.offsetAt(e.selections[0].active));
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        for (const o of this.overlays) if (o.verified?.doc === doc) o.verified = null;
      }),
    );
    this._register(vscode.languages.registerHoverProvider({ pattern: '**' }, { provideHover: (doc, pos, token) => this.hover(doc, pos, token) }));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  add(overlay: EditorOverlay): void {
    this.overlays.push(overlay);
    this.repaint();
  }

  remove(overlay: EditorOverlay): void {
    const i = this.overlays.indexOf(overlay);
    if (i >= 0) this.overlays.splice(i, 1);
    this.repaint();
  }

  /** The panel became active: its overlay wins its document. */
  promote(overlay: EditorOverlay): void {
    const i = this.overlays.indexOf(overlay);
    if (i < 0 || i === this.overlays.length - 1) return;
    this.overlays.splice(i, 1);
    this.overlays.push(overlay);
    this.repaint();
  }

  /** The overlay whose run has this id, if its panel is open. */
  byRun(runId: string): EditorOverlay | undefined {
    return this.overlays.find((o) => o.runId === runId);
  }

  /** The overlay that colours (or would colour) this document. */
  forDocument(uri: string): EditorOverlay | undefined {
    for (let i = this.overlays.length - 1; i >= 0; i--) if (this.overlays[i].uri === uri) return this.overlays[i];
    return undefined;
  }

  /** Schedules a repaint of every visible editor, at most one per REPAINT_MS. */
  repaint(): void {
    if (this.isDisposed || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastPaint + this.gap - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastPaint = Date.now();
      this.paintAll();
    }, wait);
  }

  /** Paints now (tests and the command use the throttled path; this is it). */
  paintAll(): void {
    if (this.isDisposed) return;
    const figures = new Map<EditorOverlay, { editors: number; decorated: number; underlined: number; epoch: number | null; sample: { start: number; end: number; bucket: number }[]; palette: Palette; start: number | null; steps: number | null }>();
    for (const o of this.overlays) figures.set(o, { editors: 0, decorated: 0, underlined: 0, epoch: null, sample: [], palette: o.pickedUnit ? o.last.palette : 'gradient', start: null, steps: null });
    const visible = new Set(vscode.window.visibleTextEditors);
    for (const editor of visible) {
      const overlay = this.showingFor(editor.document);
      const p = overlay ? overlay.paintFor(this.visibleOffsets(editor)) : null;
      if (!overlay || !p) {
        this.clear(editor);
        continue;
      }
      const doc = editor.document;
      const ranges = (flat: number[]) => {
        const out: vscode.Range[] = [];
        for (let i = 0; i < flat.length; i += 2) out.push(new vscode.Range(doc.positionAt(flat[i]), doc.positionAt(flat[i + 1])));
        return out;
      };
      const [used, unused] = p.palette === 'signed' ? [this.divergingTypes, this.bucketTypes] : [this.bucketTypes, this.divergingTypes];
      p.buckets.forEach((flat, b) => editor.setDecorations(used[b], ranges(flat)));
      for (const type of unused) editor.setDecorations(type, []);
      editor.setDecorations(this.wrongType, ranges(p.wrong));
      this.painted.add(editor);
      const f = figures.get(overlay)!;
      if (f.editors === 0) {
        const runs: { start: number; end: number; bucket: number }[] = [];
        p.buckets.forEach((flat, bucket) => {
          for (let i = 0; i < flat.length; i += 2) runs.push({ start: flat[i], end: flat[i + 1], bucket });
        });
        f.sample = runs.sort((a, b) => a.start - b.start).slice(0, 16);
      }
      f.editors++;
      f.decorated += p.coloured;
      f.underlined += p.underlined;
      f.epoch = p.epoch;
      f.palette = p.palette;
      f.start = p.start;
      f.steps = p.steps;
    }
    let sent = 0;
    for (const f of figures.values()) sent += f.decorated + f.underlined;
    this.gap = repaintGap(sent);
    for (const editor of [...this.painted]) if (!visible.has(editor)) this.painted.delete(editor);
    for (const [o, f] of figures) o.last = { ...f, epoch: f.epoch ?? o.last.epoch };
  }

  override dispose(): void {
    for (const editor of this.painted) this.clear(editor);
    super.dispose();
  }

  /** The overlay to draw in this document: the newest showing one, once the document is known to still hold its text. */
  private showingFor(doc: vscode.TextDocument): EditorOverlay | undefined {
    const overlay = this.forDocument(doc.uri.toString());
    if (!overlay || !overlay.showing) return undefined;
    return overlay.verify(doc, doc.version, () => doc.getText()) ? overlay : undefined;
  }

  private clear(editor: vscode.TextEditor): void {
    if (!this.painted.delete(editor)) return;
    for (const t of [...this.bucketTypes, ...this.divergingTypes]) editor.setDecorations(t, []);
    editor.setDecorations(this.wrongType, []);
  }

  private visibleOffsets(editor: vscode.TextEditor): { start: number; end: number }[] {
    const doc = editor.document;
    const last = doc.lineCount - 1;
    return editor.visibleRanges.map((r) => {
      const from = Math.max(0, r.start.line - MARGIN_LINES);
      const to = Math.min(last, r.end.line + MARGIN_LINES);
      return { start: doc.offsetAt(new vscode.Position(from, 0)), end: doc.offsetAt(doc.lineAt(to).rangeIncludingLineBreak.end) };
    });
  }

  private documentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const uri = e.document.uri.toString();
    const edits = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    for (const o of this.overlays) if (o.uri === uri) o.documentEdited(edits, e.document, e.document.version);
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const overlay = this.showingFor(doc);
    if (!overlay) return undefined;
    const h = await overlay.hover(doc.offsetAt(pos), () => token.isCancellationRequested);
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.markdown);
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)));
  }
}
