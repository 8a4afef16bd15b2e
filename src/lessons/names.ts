// The names a lesson file and the panel share, without the settings (the webview imports this).

/** The languages a lesson's words may come in; English is required, the others fall back to it. */
export const LESSON_LANGUAGES = ['en', 'ko'] as const;
export type LessonLanguage = (typeof LESSON_LANGUAGES)[number];

/** A plain string (one text for every language) or one text per language, English required. */
export type Localized = string | ({ en: string } & Partial<Record<LessonLanguage, string>>);

/** The heatmap's rows a lesson may show first (the panel's "Shows" picker). */
export const LESSON_HEATMAPS = ['gradNorm', 'lastLossGradNorm', 'cellGradNorm', 'lastLossCellGradNorm'] as const;
export type LessonHeatmap = (typeof LESSON_HEATMAPS)[number];
/** The training panel's folding sections, by the names a lesson uses for them (ids `sec-<name>`). */
export const LESSON_SECTIONS = ['accuracy', 'why', 'rows', 'matrix', 'history', 'restart'] as const;
export type LessonSection = (typeof LESSON_SECTIONS)[number];

/** A localized text in `lang`, falling back to English. */
export function pick(text: Localized, lang: string): string {
  if (typeof text === 'string') return text;
  const base = lang.toLowerCase().split('-')[0] as LessonLanguage;
  return text[base] ?? text.en;
}

/** The language of the lesson's words for VS Code's display language (vscode.env.language). */
export function lessonLanguage(displayLanguage: string): LessonLanguage {
  const base = displayLanguage.toLowerCase().split('-')[0];
  return (LESSON_LANGUAGES as readonly string[]).includes(base) ? (base as LessonLanguage) : 'en';
}

