// renderWebviewHtml and makeNonce without a browser: the policy text, escaping and nonce quality.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, renderWebviewHtml } from '../../src/panel/html';

describe('webview html', () => {
  it('emits the content security policy with the nonce on the script and nothing inline', () => {
    const html = renderWebviewHtml({ cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x.vscode-cdn.net/w.js', styleUri: 'https://x.vscode-cdn.net/w.css', nonce: 'abc123', title: 'T' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-abc123'/);
    assert.match(csp, /img-src https:\/\/x\.vscode-cdn\.net data:/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\.vscode-cdn\.net\/w\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\.vscode-cdn\.net\/w\.css">/);
    assert.match(html, /<div id="app"/);
    assert.doesNotMatch(html, /style="/);
  });

  it('escapes the title', () => {
    const html = renderWebviewHtml({ cspSource: 's', scriptUri: 's/a.js', styleUri: 's/a.css', nonce: 'n', title: '<img src=x onerror="alert(1)">&' });
    assert.ok(!html.includes('<img'));
    assert.match(html, /<title>&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;&amp;<\/title>/);
  });

  it('makes 128-bit hex nonces that do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = makeNonce();
      assert.match(n, /^[0-9a-f]{32}$/);
      seen.add(n);
    }
    assert.equal(seen.size, 1000);
  });
});
