/**
 * Fold a place name for matching: accents removed, lower-cased, punctuation collapsed.
 * Logs and the gazetteer spell the same city differently ("São Paulo", "Sao Paulo",
 * "SAO PAULO", "Saint-Étienne"), so both sides go through this before comparison.
 */
export function foldPlaceName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
