// Figures out: every chart, heatmap and the matrix rendered at 2× pixel density with its title,
// axes, legend and the run's title, as a PNG the host saves through its own dialog (a download
// started inside a webview does nothing in VS Code). The host can also ask for a figure by
// name (`rnnLab.exportFigure`).
import type { LineChart } from './charts';
import { atPixelRatio } from './canvas';
import type { Theme } from './theme';
import { button } from './toolkit';
import { t } from './l10n';

/** The scale figures are rendered at. */
export const FIGURE_SCALE = 2;

export interface Figure {
  /** Name in the command (`rnnLab.exportFigure { figure }`) and the default file name. */
  name: string;
  /** What the figure shows, printed above it. */
  title: string;
  /** Draws the figure's canvases at the current pixel ratio (called inside atPixelRatio(2)). */
  render(): HTMLCanvasElement[];
  /** Draws them again at the screen's own ratio afterwards. */
  restore(): void;
}

export interface RenderedFigure {
  /** PNG, base64 (no data: prefix). */
  png: string;
  width: number;
  height: number;
}

/** A Chart.js chart as a figure: Chart.js redraws at the ratio it is given, axes and legend included. */
export function chartFigure(name: string, title: string, chart: LineChart): Figure {
  return {
    name,
    title,
    render: () => [chart.renderAt(FIGURE_SCALE)],
    restore: () => chart.renderAt(undefined),
  };
}

export class FigureBook {
  private readonly figures = new Map<string, Figure>();

  constructor(
    private readonly theme: () => Theme,
    private readonly runTitle: () => string,
    private readonly save: (figure: Figure, rendered: RenderedFigure) => void,
  ) {}

  get names(): string[] {
    return [...this.figures.keys()];
  }

  add(figure: Figure): HTMLElement {
    this.figures.set(figure.name, figure);
    // A short label: these buttons sit in section headings, beside the section's own controls.
    const b = button('PNG…', {
      ariaLabel: t('Save “{0}” as a PNG image', figure.title),
      title: t("Save as PNG… ({0}, 2× pixel density, with its title and the run's)", figure.title),
      secondary: true,
      onClick: () => {
        try {
          this.save(figure, this.render(figure.name));
        } catch (err) {
          console.error(err);
        }
      },
    });
    b.el.classList.add('figure-button');
    // Inside a folding section's <summary> a click would also fold the section.
    b.el.addEventListener('click', (e) => e.preventDefault());
    b.el.dataset.figure = figure.name;
    return b.el;
  }

  /** Renders a figure by name; throws with the known names when there is no such figure. */
  render(name: string): RenderedFigure {
    const figure = this.figures.get(name);
    if (!figure) throw new Error(t('no figure "{0}" in this panel (figures: {1})', name, this.names.join(', ')));
    let parts: HTMLCanvasElement[] = [];
    try {
      parts = atPixelRatio(FIGURE_SCALE, () => figure.render().map(copyCanvas));
    } finally {
      figure.restore();
    }
    const canvas = compose(this.runTitle(), figure.title, parts, this.theme());
    const url = canvas.toDataURL('image/png');
    return { png: url.slice(url.indexOf(',') + 1), width: canvas.width, height: canvas.height };
  }
}

function copyCanvas(c: HTMLCanvasElement): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = c.width;
  out.height = c.height;
  out.getContext('2d')!.drawImage(c, 0, 0);
  return out;
}

/** The figure's parts one under the other, on the theme's background, under two title lines. */
function compose(runTitle: string, title: string, parts: HTMLCanvasElement[], theme: Theme): HTMLCanvasElement {
  const s = FIGURE_SCALE;
  const pad = 12 * s;
  const titleSize = (theme.fontSize + 2) * s;
  const subSize = theme.fontSize * s;
  const head = pad + titleSize + 6 * s + subSize + pad / 2;
  const width = Math.max(320 * s, ...parts.map((p) => p.width)) + 2 * pad;
  const height = head + parts.reduce((h, p) => h + p.height + 4 * s, 0) + pad;
  const c = document.createElement('canvas');
  c.width = Math.ceil(width);
  c.height = Math.ceil(height);
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = theme.fg;
  ctx.textBaseline = 'top';
  ctx.font = `600 ${titleSize}px ${theme.fontFamily}`;
  ctx.fillText(title, pad, pad, c.width - 2 * pad);
  ctx.fillStyle = theme.muted;
  ctx.font = `${subSize}px ${theme.fontFamily}`;
  ctx.fillText(runTitle, pad, pad + titleSize + 6 * s, c.width - 2 * pad);
  let y = head;
  for (const p of parts) {
    ctx.drawImage(p, pad, y);
    y += p.height + 4 * s;
  }
  return c;
}
