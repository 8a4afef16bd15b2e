// Entry VS Code calls inside the extension host (extensionTestsPath): runs every compiled
// *.test.js next to this file with mocha and reports the counts on one marker line that
// scripts/vscode/test-suite.mjs reads (the exit code alone cannot say how many passed).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // A full 600-epoch training run plus a cold extension host; individual tests tighten this.
    timeout: 180_000,
    grep: process.env.RNN_LAB_GREP || undefined,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const counts = { passes: stats?.passes ?? 0, failures: stats?.failures ?? failures, pending: stats?.pending ?? 0 };
        console.log(`RNN_LAB_MOCHA_RESULT ${JSON.stringify(counts)}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
