// The one function every message of src/ goes through on its way to the user: `t(english, ...args)`.
// The English sentence is the key (VS Code's l10n convention, so l10n/bundle.l10n.json maps each
// English sentence to itself and bundle.l10n.<lang>.json to its translation). Core must not import
// `vscode`, so the translation is installed from outside: the extension host installs
// `vscode.l10n.t` at activation, the training worker a lookup in the bundle the host hands it, and
// the CLI and unit tests install nothing and get English.

export type L10nArg = string | number | boolean;
export type Translator = (message: string, args: readonly L10nArg[]) => string;
/** A loaded translation bundle (VS Code's `vscode.l10n.bundle`): English sentence → translation. */
export type L10nBundle = Readonly<Record<string, string>>;

/** Replaces `{0}`, `{1}`… with the arguments, as `vscode.l10n.t` does; unknown indices stay as written. */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : String(arg);
  });
}

let translator: Translator = formatMessage;

/** `message` translated into the display language when a translator is installed, else English. */
export function t(message: string, ...args: L10nArg[]): string {
  return translator(message, args);
}

/**
 * Marks a sentence for the bundle without translating it yet: for tables built when a module loads,
 * before any translator is installed. Where it is shown it goes through `t(sentence)`.
 */
export function tKey(sentence: string): string {
  return sentence;
}

/** Installs the translation for this thread; `undefined` goes back to English. */
export function setTranslator(next: Translator | undefined): void {
  translator = next ?? formatMessage;
}

/** A translator that looks sentences up in `bundle` (missing ones stay English). */
export function bundleTranslator(bundle: L10nBundle | undefined): Translator {
  if (!bundle) return formatMessage;
  return (message, args) => formatMessage(Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : message, args);
}
