// The panels' one way to put language on screen: `t(english, ...args)`. The host writes the
// display language and its loaded translations (vscode.l10n.bundle, the same
// l10n/bundle.l10n.<lang>.json the host's messages come from) into the page as JSON, so every
// translation lives in one place and the webview never has its own copy. English, or a sentence
// the bundle lacks, shows the English sentence. Numbers are formatted by the caller, always the
// same way (toFixed, toPrecision), whatever the language.
import { formatMessage, setTranslator, type L10nArg } from '../src/core/l10n';

interface PageL10n {
  language: string;
  bundle: Readonly<Record<string, string>>;
}

let page: PageL10n | undefined;

function load(): PageL10n {
  if (page) return page;
  // Through globalThis: unit tests import panel modules in Node, where there is no document.
  const doc = (globalThis as { document?: { getElementById(id: string): { textContent: string | null } | null } }).document;
  const el = doc?.getElementById('rnn-lab-l10n');
  try {
    const parsed = el?.textContent ? (JSON.parse(el.textContent) as Partial<PageL10n>) : {};
    page = { language: typeof parsed.language === 'string' ? parsed.language : 'en', bundle: parsed.bundle && typeof parsed.bundle === 'object' ? parsed.bundle : {} };
  } catch {
    page = { language: 'en', bundle: {} };
  }
  return page;
}

/** `message` (an English sentence with {0}, {1}… placeholders) in the panel's language. */
export function t(message: string, ...args: L10nArg[]): string {
  const { bundle } = load();
  return formatMessage(Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : message, args);
}

// The shared code the panels run (src/shared: saved-state and message checks, requests) says its
// messages through the core's t(): in the page that is this one, so it speaks the panel's language.
setTranslator((message, args) => t(message, ...args));

/** The display language the host reported ("en", "ko"…). */
export function language(): string {
  return load().language;
}
