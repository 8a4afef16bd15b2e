// The whole of a long training text, kept in the extension's storage folder while its panel holds
// only the head (RunInfo.text): the page and the state it saves stay small, and a panel restored
// after a reload can still restart on the whole text. One file per content, named by its SHA-256
// (the key the saved state carries), so two panels on one text share it and a changed state can
// name nothing but such a file.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Texts not used for this long are removed when the extension starts. */
export const TEXT_STORE_MAX_AGE_DAYS = 30;
const KEY = /^[0-9a-f]{64}$/;

export function textKeyOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class TextStore {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Keeps the text (written in the background, once per content) and returns its key. */
  keep(text: string): string {
    const key = textKeyOf(text);
    if (!this.writes.has(key)) {
      const file = this.file(key);
      const tmp = `${file}.${process.pid}.tmp`;
      const write = mkdir(this.dir, { recursive: true })
        .then(() => writeFile(tmp, text, 'utf8'))
        .then(() => rename(tmp, file))
        .catch((err: unknown) => {
          this.writes.delete(key);
          void unlink(tmp).catch(() => undefined);
          this.log(`could not keep a copy of the training text for a restart after a reload: ${err instanceof Error ? err.message : String(err)}`);
        });
      this.writes.set(key, write);
    }
    return key;
  }

  /** The text stored under `key`, or undefined if it is not there (removed, or never written). */
  async load(key: string): Promise<string | undefined> {
    if (!KEY.test(key)) return undefined;
    await this.writes.get(key);
    try {
      const text = await readFile(this.file(key), 'utf8');
      // A file changed on disk is not the text the run trained on.
      if (textKeyOf(text) !== key) return undefined;
      // Used again: its age starts over.
      const now = new Date();
      await utimes(this.file(key), now, now).catch(() => undefined);
      return text;
    } catch {
      return undefined;
    }
  }

  /** Removes texts unused for TEXT_STORE_MAX_AGE_DAYS (and stray temporary files). */
  async prune(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const path = join(this.dir, name);
      try {
        const s = await stat(path);
        const old = now - s.mtimeMs > TEXT_STORE_MAX_AGE_DAYS * 86_400_000;
        if ((name.endsWith('.tmp') && now - s.mtimeMs > 3_600_000) || (KEY.test(name.replace(/\.txt$/, '')) && old)) {
          await unlink(path);
          removed++;
        }
      } catch {
        // Gone meanwhile, or not ours to remove.
      }
    }
    return removed;
  }

  private file(key: string): string {
    return join(this.dir, `${key}.txt`);
  }
}
