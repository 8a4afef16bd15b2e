// Writes l10n/bundle.l10n.json, the source bundle: every sentence given to t() as a literal in
// src/ and webview/, mapped to itself, sorted. Translations (bundle.l10n.<lang>.json) are written
// by hand against it; the unit test test/unit/l10n/bundles.test.ts checks they cover it exactly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, translatedSentences } from './l10n-scan.mjs';

const sentences = [...translatedSentences().keys()].filter((k) => !k.startsWith('<a template, not a sentence>')).sort();
const bundle = Object.fromEntries(sentences.map((s) => [s, s]));
writeFileSync(join(repoRoot, 'l10n', 'bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
console.log(`l10n/bundle.l10n.json: ${sentences.length} sentences`);
