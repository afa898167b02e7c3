/** The languages the service writes its messages in. */
export const LOCALES = ['en', 'de'] as const;

export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A longer header is read only up to its last whole entry within this many characters. */
const MAX_HEADER_LENGTH = 1024;
/** Entries after this many are ignored (browsers send a handful). */
const MAX_ENTRIES = 32;

/** RFC 4647 language range (RFC 9110 § 12.5.4), lower-cased: "de", "de-ch", "*". */
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
/** RFC 9110 § 12.4.2: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;

interface Preference {
  range: string;
  q: number;
  position: number;
}

interface Match {
  q: number;
  /** 2: the range names the language; 1: a regional variant of it ("de-ch"); 0: "*". */
  specificity: number;
  position: number;
}

/**
 * The locale to write in for an HTTP `Accept-Language` header (RFC 9110 § 12.5.4).
 *
 * A range matches one of our locales when it names its language, with or without a region or
 * script ("de", "de-DE", "de-CH" → de); "*" matches every locale no other range names. The most
 * specific range decides a locale's weight; `q=0` makes it unacceptable. The highest weight wins;
 * on a tie, a named language beats "*", then the earlier entry, then `fallback`. Malformed
 * entries are skipped; with nothing acceptable (or no header) the answer is `fallback`. Never
 * throws, and reads a bounded part of any header.
 */
export function negotiateLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (typeof acceptLanguage !== 'string') return fallback;
  const preferences = parseAcceptLanguage(acceptLanguage);
  let best: { locale: Locale; match: Match } | null = null;
  for (const locale of [fallback, ...LOCALES.filter((l) => l !== fallback)]) {
    const match = matchLocale(locale, preferences);
    if (match && match.q > 0 && (!best || ranksHigher(match, best.match))) {
      best = { locale, match };
    }
  }
  return best ? best.locale : fallback;
}

function ranksHigher(a: Match, b: Match): boolean {
  if (a.q !== b.q) return a.q > b.q;
  const aNamed = a.specificity > 0;
  const bNamed = b.specificity > 0;
  if (aNamed !== bNamed) return aNamed;
  return a.position < b.position;
}

/** The weight the header gives `locale`, decided by its most specific matching range. */
function matchLocale(locale: Locale, preferences: Preference[]): Match | null {
  let found: Match | null = null;
  for (const { range, q, position } of preferences) {
    const specificity = specificityOf(range, locale);
    // A refused regional variant ("de-CH;q=0") says nothing about the language as such.
    if (specificity < 0 || (specificity === 1 && q === 0)) continue;
    if (
      !found ||
      specificity > found.specificity ||
      (specificity === found.specificity && q > found.q)
    ) {
      found = { q, specificity, position };
    }
  }
  return found;
}

function specificityOf(range: string, locale: Locale): number {
  if (range === locale) return 2;
  if (range.startsWith(`${locale}-`)) return 1;
  if (range === '*') return 0;
  return -1;
}

/** The well-formed entries of the header, in order; empty list elements are allowed. */
function parseAcceptLanguage(header: string): Preference[] {
  let value = header;
  if (value.length > MAX_HEADER_LENGTH) {
    const cut = value.lastIndexOf(',', MAX_HEADER_LENGTH);
    value = cut < 0 ? '' : value.slice(0, cut);
  }
  const preferences: Preference[] = [];
  for (const entry of value.split(',')) {
    if (preferences.length >= MAX_ENTRIES) break;
    if (entry.trim() === '') continue;
    const preference = parseEntry(entry, preferences.length);
    if (preference) preferences.push(preference);
  }
  return preferences;
}

/** `language-range [ OWS ";" OWS "q=" qvalue ]`; anything else is malformed (null). */
function parseEntry(entry: string, position: number): Preference | null {
  const parts = entry.split(';');
  if (parts.length > 2) return null;
  const range = parts[0].trim().toLowerCase();
  if (!LANGUAGE_RANGE.test(range)) return null;
  if (parts.length === 1) return { range, q: 1, position };
  const weight = /^q=(.*)$/i.exec(parts[1].trim());
  if (!weight || !QVALUE.test(weight[1])) return null;
  return { range, q: Number(weight[1]), position };
}
