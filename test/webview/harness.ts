// Opens a webview bundle (the test build, with its read-only hooks) in headless Chromium: the
// page is the real renderWebviewHtml output (real CSP and nonce), served from 127.0.0.1, with a
// recording stub of acquireVsCodeApi. Host messages reach the page the way VS Code delivers them:
// typed arrays arrive as typed arrays of the same kind.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeNonce, renderWebviewHtml } from '../../src/panel/html';
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { repoRoot } from '../support/repoRoot';
import { DARK_THEME_CSS, LIGHT_THEME_CSS } from './theme';

export const ROOT = repoRoot();
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM_SETUP = JSON.parse(readFileSync(join(ROOT, 'scripts/vscode/chromium.json'), 'utf8')) as { path: string; args: string[] };
export const CHROMIUM = process.env.RNN_LAB_CHROMIUM || CHROMIUM_SETUP.path;

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the webview tests need the Debian package "chromium" (apt-get install -y chromium).`);
  }
}

export interface PanelServer {
  origin: string;
  close(): Promise<void>;
}

export type Bundle = 'webview' | 'compare' | 'model';

/** Serves the page of a bundle (its test build), the stylesheet the build emitted, and a VS Code theme. */
export async function startServer(title = 'RNN Lab: hello world', theme: 'dark' | 'light' = 'dark', bundle: Bundle = 'webview'): Promise<PanelServer> {
  const js = join(ROOT, `dist/webview/${bundle}.test.js`);
  const css = join(ROOT, `dist/webview/${bundle}.css`);
  if (!existsSync(js) || !existsSync(css)) throw new Error(`dist/webview/${bundle}.test.js or ${bundle}.css is missing: run \`node scripts/build.mjs\` first`);
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (type: string, body: string | Buffer): void => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url === '/' || url === '/index.html') {
      const html = renderWebviewHtml({ cspSource: origin, scriptUri: `${origin}/${bundle}.js`, styleUri: `${origin}/${bundle}.css`, nonce: makeNonce(), title })
        // VS Code puts the theme variables and class on the document before the scripts run.
        .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`)
        .replace('<body>', `<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">`);
      send('text/html; charset=utf-8', html);
    } else if (url === `/${bundle}.js`) send('text/javascript; charset=utf-8', readFileSync(js));
    else if (url === `/${bundle}.css`) send('text/css; charset=utf-8', readFileSync(css));
    else if (url === '/theme.css') send('text/css; charset=utf-8', theme === 'dark' ? DARK_THEME_CSS : LIGHT_THEME_CSS);
    else {
      // Chromium asks for a favicon on its own; a 404 would show up as a console error.
      res.writeHead(url === '/favicon.ico' ? 204 : 404);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const TYPED = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'];

/** A message as JSON with its typed arrays as base64, which the page revives (as VS Code's transport does). */
export function encodeForPage(m: unknown): string {
  return JSON.stringify(m, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && TYPED.includes(v.constructor.name)) {
      return { $$typed: v.constructor.name, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    }
    return v;
  });
}

let profiles = 0;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The page server (dark theme) and Chromium that a test file's panels share: started before the
 * file's first test, closed after its last. Read `browser` and `server` inside the tests.
 */
export function useSharedBrowser(): { readonly browser: Browser; readonly server: PanelServer } {
  let browser: Browser | undefined;
  let server: PanelServer | undefined;
  before(async () => {
    server = await startServer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the shared browser is used before its before() hook ran');
      return browser;
    },
    get server() {
      if (!server) throw new Error('the shared page server is used before its before() hook ran');
      return server;
    },
  };
}

export async function launch(): Promise<Browser> {
  requireChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = join(ARTIFACTS, `chromium-profile-${process.pid}-${++profiles}`);
  rmSync(profile, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 1700 },
    args: CHROMIUM_SETUP.args,
    // Chromium writes crash reports and dconf caches under HOME and XDG_*: keep them in the profile.
    env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: join(profile, 'config'), XDG_CACHE_HOME: join(profile, 'cache'), XDG_DATA_HOME: join(profile, 'data'), TMPDIR: profile },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Panel {
  page: Page;
  /** Messages the webview posted to the host so far (without its playhead and view reports, which follow every frame or change). */
  posted(): Promise<WebviewToHost[]>;
  /** Every message posted so far, the reports included. */
  allPosted(): Promise<WebviewToHost[]>;
  /** Delivers a host message the way VS Code does (a window `message` event). */
  send(m: HostToWebview): Promise<void>;
  /** Resolves once the panel is idle and has rendered n (2) more animation frames. */
  frames(n?: number): Promise<void>;
  /** n animation frames, busy or not. */
  rawFrames(n?: number): Promise<void>;
  /** Waits until an element's text matches (throttled live regions update within a second). */
  waitText(selector: string, pattern: RegExp): Promise<string>;
  savedState(): Promise<unknown>;
  /** Waits for the panel's next request of `kind` not yet answered, and answers it with `value` (or an error). */
  /** `where`: answer only a request whose params have these values (earlier ones stay unanswered). */
  answer(kind: string, value: unknown, error?: string, where?: Record<string, unknown>): Promise<{ id: number; params: unknown }>;
  /** CSP violations and console errors seen so far. */
  problems(): Promise<string[]>;
}

interface StubWindow {
  __posted: unknown[];
  __state: unknown;
  __stateWrites: number;
  __problems: string[];
}

export async function openPanel(browser: Browser, server: PanelServer, initialState?: unknown): Promise<Panel> {
  const page = await browser.context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  await page.addInitScript((saved: unknown) => {
    const w = window as unknown as StubWindow & { acquireVsCodeApi?: () => unknown };
    w.__posted = [];
    w.__state = saved ?? undefined;
    w.__stateWrites = 0;
    w.__problems = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__problems.push(`CSP: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
    let acquired = false;
    w.acquireVsCodeApi = () => {
      // Mirrors VS Code: a second call throws.
      if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
      acquired = true;
      return {
        postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => w.__state,
        setState: (s: unknown) => {
          w.__state = JSON.parse(JSON.stringify(s));
          w.__stateWrites++;
        },
      };
    };
  }, initialState ?? null);
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => (window as unknown as StubWindow).__posted.length > 0);
  const answered: number[] = [];
  const panel: Panel = {
    page,
    posted: async () => (await page.evaluate(() => (window as unknown as StubWindow).__posted as WebviewToHost[])).filter((m) => m.type !== 'playhead' && m.type !== 'view'),
    allPosted: () => page.evaluate(() => (window as unknown as StubWindow).__posted as WebviewToHost[]),
    send: (m) =>
      page.evaluate((json) => {
        const msg = JSON.parse(json, (_k, v: { $$typed?: string; b64?: string }) => {
          if (!v || typeof v.$$typed !== 'string' || typeof v.b64 !== 'string') return v;
          const bin = atob(v.b64);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          const Kind = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => unknown>)[v.$$typed];
          return new Kind(bytes.buffer);
        });
        window.postMessage(msg, '*');
      }, encodeForPage(m)),
    frames: async (n = 2) => {
      // The panel throttles some work and slices some across frames: wait until it is done.
      await page.evaluate(() => (window as unknown as { __rnnLab: { whenIdle(): Promise<void> } }).__rnnLab.whenIdle());
      await panel.rawFrames(n);
    },
    rawFrames: (n = 2) =>
      page.evaluate(
        (count) =>
          new Promise<void>((ok) => {
            let left = count;
            const tick = (): void => {
              if (--left <= 0) ok();
              else requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
        n,
      ),
    waitText: async (selector, pattern) => {
      await page.waitForFunction(
        ([sel, src, flags]) => new RegExp(src, flags).test(document.querySelector(sel)?.textContent ?? ''),
        [selector, pattern.source, pattern.flags] as const,
        { timeout: 5000 },
      );
      return (await page.locator(selector).textContent()) ?? '';
    },
    savedState: () => page.evaluate(() => (window as unknown as StubWindow).__state),
    answer: async (kind, value, error, where) => {
      const handle = await page.waitForFunction(
        ([k, done, w]) =>
          (window as unknown as StubWindow).__posted.find((m) => {
            const r = m as { type?: string; kind?: string; id: number; params?: Record<string, unknown> };
            return r.type === 'request' && r.kind === k && !(done as number[]).includes(r.id) && Object.entries(w ?? {}).every(([key, v]) => r.params?.[key] === v);
          }),
        [kind, answered, where ?? null] as const,
        { timeout: 5000 },
      );
      const req = (await handle.jsonValue()) as { id: number; params: unknown };
      answered.push(req.id);
      await panel.send((error === undefined ? { type: 'reply', id: req.id, ok: true, value } : { type: 'reply', id: req.id, ok: false, error }) as HostToWebview);
      return req;
    },
    problems: async () => [...consoleErrors, ...(await page.evaluate(() => (window as unknown as StubWindow).__problems))],
  };
  return panel;
}

/** Calls a read-only debug hook of the panel (window.__rnnLab). */
export function hook<T>(panel: Panel, name: string, ...args: unknown[]): Promise<T> {
  return panel.page.evaluate(
    ([n, a]) => {
      const h = (window as unknown as { __rnnLab: Record<string, (...x: unknown[]) => unknown> }).__rnnLab;
      return h[n as string](...(a as unknown[])) as T;
    },
    [name, args] as const,
  );
}
