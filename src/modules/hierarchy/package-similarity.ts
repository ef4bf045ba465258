/**
 * How alike two package descriptions are: a repair or a return usually names the product of the sale it belongs
 * to ("Blender X200" → "X200 blender motor"). Merchants write in Arabic and Latin script, with and without
 * diacritics and letter variants, so words are normalised before they are compared.
 */

// Marks (Latin accents, Arabic harakat, the hamza and madda that NFKD splits off its carrier), and tatweel.
const MARKS = /[\p{M}\u0640]/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
/** Letter variants that writers use interchangeably; NFKD does not fold these. */
const LETTER_FOLDS: Record<string, string> = {
  '\u0671': '\u0627', // alef wasla → alef
  '\u0649': '\u064A', // alef maksura → ya
  '\u0629': '\u0647', // ta marbuta → ha
};
const FOLDABLE = /[\u0671\u0649\u0629\u0660-\u0669\u06F0-\u06F9]/g;

function fold(ch: string): string {
  const code = ch.charCodeAt(0);
  // Arabic-Indic and Eastern Arabic-Indic digits → ASCII, so "X٢٠٠" meets "X200".
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  return LETTER_FOLDS[ch] ?? ch;
}

/** The distinct normalised words of a description; one-letter words (conjunctions, sizes) are noise. */
export function descriptionTokens(text: string | null | undefined): Set<string> {
  const out = new Set<string>();
  if (!text) return out;
  const normal = text.normalize('NFKD').replace(MARKS, '').replace(FOLDABLE, fold).toLowerCase();
  for (const word of normal.split(SEPARATORS)) if (word.length > 1) out.add(word);
  return out;
}

/** Jaccard index of two word sets (shared / all), or null when either side has no words to compare. */
export function tokenJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number | null {
  if (a.size === 0 || b.size === 0) return null;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}
