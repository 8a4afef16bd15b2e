// The webview document. Pure (no `vscode` import) so the host calls it and the headless-Chromium
// tests render the exact same markup and Content-Security-Policy the panel ships with.

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the only origin allowed for the bundle, styles, fonts and images. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per render (see makeNonce); only the script carrying it may run. */
  nonce: string;
  title: string;
  /**
   * The display language (`vscode.env.language`) and the translations the host loaded
   * (`vscode.l10n.bundle`, absent in English); the panel's webview/l10n.ts reads them from the page.
   */
  l10n?: { language: string; bundle?: Readonly<Record<string, string>> };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Titles come from file names and selections, so they are escaped; URIs go into attributes. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON inside <script type="application/json">: no "</script>" or "<!--" can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** For double-quoted attributes: the CSP's single quotes stay readable. */
function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  // style-src has no 'unsafe-inline': the toolkit styles itself through constructable
  // stylesheets and Chart.js through CSSOM properties, neither of which CSP governs. The one
  // exception is FAST's :focus-visible probe, an empty <style> element it tags with the nonce
  // from <meta property="csp-nonce">; without the nonce in style-src that probe is blocked
  // (a CSP violation on every load) and the toolkit falls back to :focus rings on mouse clicks.
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  const language = o.l10n?.language ?? 'en';
  return `<!DOCTYPE html>
<html lang="${escapeAttr(language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${escapeAttr(o.nonce)}">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<div id="app" data-title="${escapeHtml(o.title)}"></div>
<script type="application/json" id="rnn-lab-l10n">${scriptJson({ language, bundle: o.l10n?.bundle ?? {} })}</script>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits as hex: valid nonce syntax, unguessable, from the platform's CSPRNG. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
