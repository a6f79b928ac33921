/**
 * Text Lucca hands us (time-type names, units, file names, error messages) is shown to people in
 * Slack and in the terminal. Such text must not forge lines (a newline followed by
 * "✅ Delivered…"), nor reorder or hide characters (`salaires\u202Evsc.exe` shows as
 * "salairesexe.csv"). So: control characters (C0, DEL, C1) and line/paragraph separators collapse to
 * one space; invisible format characters (Unicode category Cf: bidi embeddings, overrides and
 * isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen) are removed.
 * Mrkdwn escaping is the message builders' job; this only makes the text one honest line.
 */
const CONTROLS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;
const FORMAT = /\p{Cf}/gu;

export function sanitizeLuccaText(text: string): string {
  return text.replace(FORMAT, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Removes only the invisible format characters: for names whose other rules are stricter (files). */
export function withoutFormatCharacters(text: string): string {
  return text.replace(FORMAT, '');
}
