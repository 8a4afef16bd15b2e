// Reads the VS Code theme (the --vscode-* variables the host puts on the document) for the parts
// drawn on canvas, where CSS cannot reach, and tells the views when the theme changes.
import type { Rgb } from './colormap';

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  background: string;
  focus: string;
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  fontFamily: string;
  fontSize: number;
  monoFamily: string;
  series: readonly string[];
  /** Opaque "no data" colour for heatmap cells: a neutral grey never found in viridis. */
  noData: Rgb;
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour (hex with alpha, rgb(), named) to opaque bytes, composited over `under`. */
export function resolveColor(color: string, under: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [128, 128, 128];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = under || '#808080';
  probe.fillRect(0, 0, 1, 1);
  probe.fillStyle = color || '#808080';
  probe.fillRect(0, 0, 1, 1);
  const d = probe.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2]];
}

export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const fg = cssVar(s, '--vscode-foreground') || cssVar(s, '--vscode-editor-foreground') || s.color;
  const background = cssVar(s, '--vscode-editor-background') || s.backgroundColor;
  const pick = (...names: string[]): string => names.map((n) => cssVar(s, n)).find((v) => v) ?? fg;
  const size = parseFloat(cssVar(s, '--vscode-font-size'));
  return {
    fg,
    muted: pick('--vscode-descriptionForeground'),
    grid: pick('--vscode-charts-lines', '--vscode-panel-border', '--vscode-widget-border'),
    background,
    focus: pick('--vscode-focusBorder', '--vscode-contrastActiveBorder'),
    hoverBackground: cssVar(s, '--vscode-editorHoverWidget-background') || background,
    hoverForeground: pick('--vscode-editorHoverWidget-foreground', '--vscode-foreground'),
    hoverBorder: pick('--vscode-editorHoverWidget-border', '--vscode-widget-border', '--vscode-contrastBorder'),
    fontFamily: cssVar(s, '--vscode-font-family') || s.fontFamily,
    fontSize: Number.isFinite(size) && size > 0 ? size : 13,
    monoFamily: cssVar(s, '--vscode-editor-font-family') || 'monospace',
    series: [
      pick('--vscode-charts-blue'),
      pick('--vscode-charts-orange'),
      pick('--vscode-charts-green'),
      pick('--vscode-charts-red'),
      pick('--vscode-charts-purple'),
      pick('--vscode-charts-yellow'),
    ],
    noData: resolveColor(pick('--vscode-disabledForeground', '--vscode-descriptionForeground'), background),
  };
}

/** VS Code switches themes by changing the body class and the variables on <html>. */
export function onThemeChange(cb: () => void): void {
  let pending = false;
  const fire = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      cb();
    });
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'style'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
