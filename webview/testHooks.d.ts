// Set by scripts/build.mjs: true in the test bundles (dist/webview/*.test.js), which expose
// read-only hooks for the webview tests and benchmarks; false in the bundles the extension ships.
declare const __TEST_HOOKS__: boolean;
