import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/api';
import { getApi } from './helpers';

describe('activation', () => {
  it('activates and returns the RNN Lab API', async () => {
    const api: RnnLabApi = await getApi();
    assert.strictEqual(typeof api.runs, 'function');
    assert.strictEqual(typeof api.waitForState, 'function');
    assert.ok(Array.isArray(api.runs()));
  });

  it('registers every command contributed in package.json', async () => {
    await getApi();
    const ext = vscode.extensions.getExtension('rnn-lab.rnn-lab');
    assert.ok(ext, 'extension rnn-lab.rnn-lab not found');
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
