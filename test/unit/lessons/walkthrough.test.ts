// The Get Started walkthrough as package.json contributes it: 5–7 steps, each with a picture or
// page that ships, a button whose command exists, and a completion event on a contributed
// command; its PyTorch page, English and Korean, carries the README's snippet exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../../package.json';
import { repoRoot } from '../../support/repoRoot';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string; markdown?: string };
  completionEvents: string[];
}

const root = repoRoot();
const contributes = packageJson.contributes as unknown as { walkthroughs: { id: string; title: string; steps: Step[] }[]; commands: { command: string }[] };
const commands = new Set(contributes.commands.map((c) => c.command));
/** The manifest's %key% texts in English and Korean (VS Code puts them in as it reads the manifest). */
const nls = {
  en: JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>,
  ko: JSON.parse(readFileSync(join(root, 'package.nls.ko.json'), 'utf8')) as Record<string, string>,
};
function text(value: string, lang: keyof typeof nls): string {
  const key = /^%([^%]+)%$/.exec(value)?.[1];
  assert.ok(key !== undefined && nls[lang][key] !== undefined, `${value} is a %key% of package.nls${lang === 'en' ? '' : '.ko'}.json`);
  return nls[lang][key];
}

test('the walkthrough has 5–7 steps, each with a shipped picture, a command button and a completion event', () => {
  assert.equal(contributes.walkthroughs.length, 1);
  const w = contributes.walkthroughs[0];
  assert.equal(text(w.title, 'en'), 'Watch gradients vanish with RNN Lab');
  assert.ok(w.steps.length >= 5 && w.steps.length <= 7, `${w.steps.length} steps`);
  assert.equal(new Set(w.steps.map((s) => s.id)).size, w.steps.length, 'step ids are unique');
  for (const step of w.steps) {
    // A Markdown page is named through package.nls, one file per display language.
    for (const lang of ['en', 'ko'] as const) {
      const media = step.media.image ?? (step.media.markdown && text(step.media.markdown, lang));
      assert.ok(media && existsSync(join(root, media)), `${step.id} (${lang}): ${media} exists`);
    }
    if (step.media.image) {
      assert.ok(step.media.altText, `${step.id}: the picture has alt text`);
      assert.deepEqual([...readFileSync(join(root, step.media.image)).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${step.id}: a PNG`);
    }
    // Both languages have the same buttons: the translation changes their labels, never their commands.
    const links = (lang: keyof typeof nls) => [...text(step.description, lang).matchAll(/\[[^\]]+\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
    const buttons = links('en');
    assert.ok(buttons.length >= 1, `${step.id}: a command button`);
    assert.deepEqual(links('ko').map((b) => b.slice(1)), buttons.map((b) => b.slice(1)), `${step.id}: the Korean text has the same buttons`);
    for (const [, id, args] of buttons) {
      assert.ok(commands.has(id), `${step.id}: ${id} is contributed`);
      if (args) assert.ok(Array.isArray(JSON.parse(decodeURIComponent(args))), `${step.id}: the arguments of ${id} are a JSON array`);
    }
    assert.ok(step.completionEvents.length > 0 && step.completionEvents.every((e) => e.startsWith('onCommand:') && commands.has(e.slice('onCommand:'.length))), `${step.id}: completed by a contributed command`);
  }
});

test('the PyTorch step shows the README\'s snippet as it is, in an English and a Korean page (scripts/make-walkthrough.mjs cuts it)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const snippet = /### Opening an exported model in PyTorch[\s\S]*?(```python\n[\s\S]*?\n```)/.exec(readme)?.[1];
  assert.ok(snippet, 'the README has the snippet');
  const step = contributes.walkthroughs[0].steps.find((s) => s.media.markdown !== undefined);
  assert.ok(step?.media.markdown, 'a step shows a Markdown page');
  const pages = { en: text(step.media.markdown, 'en'), ko: text(step.media.markdown, 'ko') };
  assert.equal(pages.en, 'media/walkthrough/pytorch.md');
  assert.equal(pages.ko, 'media/walkthrough/pytorch.ko.md');
  for (const [lang, page] of Object.entries(pages)) {
    assert.ok(readFileSync(join(root, page), 'utf8').includes(snippet), `${page} holds it; run node scripts/make-walkthrough.mjs --markdown after changing the README (${lang})`);
  }
  // The Korean page is Korean outside the code: its heading and introduction.
  const prose = readFileSync(join(root, pages.ko), 'utf8').split('```')[0];
  assert.match(prose, /^# PyTorch에서 가중치 열기\n/);
  assert.ok((prose.match(/[\uac00-\ud7a3]/g) ?? []).length > 100, 'the Korean introduction is written in Hangul');
});
