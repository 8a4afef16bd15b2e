// The repository's root, found from a test bundle wherever the build put it (out/test/unit/…).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}
