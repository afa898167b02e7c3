import { isLocale, LOCALES, negotiateLocale } from './locale';

describe('LOCALES and isLocale', () => {
  it('lists English and German', () => {
    expect(LOCALES).toEqual(['en', 'de']);
  });

  it('knows only those', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('de')).toBe(true);
    for (const value of ['DE', 'de-DE', 'fr', '', null, undefined, 1, {}]) {
      expect(isLocale(value)).toBe(false);
    }
  });
});

describe('negotiateLocale: languages and order', () => {
  it('answers the fallback without a header or with an empty one', () => {
    expect(negotiateLocale(undefined, 'en')).toBe('en');
    expect(negotiateLocale(undefined, 'de')).toBe('de');
    expect(negotiateLocale('', 'de')).toBe('de');
    expect(negotiateLocale('   ', 'en')).toBe('en');
  });

  it('reads a plain language and regional variants of it', () => {
    expect(negotiateLocale('de', 'en')).toBe('de');
    expect(negotiateLocale('de-DE', 'en')).toBe('de');
    expect(negotiateLocale('de-CH', 'en')).toBe('de');
    expect(negotiateLocale('de-Latn-AT', 'en')).toBe('de');
    expect(negotiateLocale('en-US', 'de')).toBe('en');
    expect(negotiateLocale('DE-de', 'en')).toBe('de');
  });

  it('falls back when no language of ours is asked for', () => {
    expect(negotiateLocale('fr-FR, it;q=0.8', 'en')).toBe('en');
    expect(negotiateLocale('fr-FR, it;q=0.8', 'de')).toBe('de');
    // "deu" is another language range, not German's two-letter subtag.
    expect(negotiateLocale('deu', 'en')).toBe('en');
  });

  it('follows q-values, not the order of the entries', () => {
    expect(negotiateLocale('en;q=0.5, de;q=0.9', 'en')).toBe('de');
    expect(negotiateLocale('fr, en;q=0.3, de;q=0.7', 'en')).toBe('de');
    expect(negotiateLocale('de;q=0.001, en;q=0.002', 'de')).toBe('en');
    expect(negotiateLocale('de;q=1.000, en;q=0.999', 'en')).toBe('de');
  });

  it('a typical browser header of a German user', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', 'en')).toBe('de');
    expect(negotiateLocale('en-GB,en;q=0.9,de;q=0.8', 'de')).toBe('en');
  });

  it('on equal weight, the earlier entry wins', () => {
    expect(negotiateLocale('de-CH, en', 'en')).toBe('de');
    expect(negotiateLocale('en, de', 'de')).toBe('en');
    expect(negotiateLocale('de;q=0.5, en;q=0.5', 'en')).toBe('de');
  });
});

describe('negotiateLocale: ranges and their weights', () => {
  it('the most specific range decides a weight', () => {
    expect(negotiateLocale('de-CH;q=0.2, de;q=0.9, en;q=0.5', 'en')).toBe('de');
    expect(negotiateLocale('de;q=0.2, de-CH;q=0.9, en;q=0.5', 'en')).toBe('en');
    expect(negotiateLocale('de-AT;q=0.3, de-CH;q=0.9, en;q=0.5', 'en')).toBe('de');
  });

  it('"*" stands for every locale no other range names', () => {
    expect(negotiateLocale('*', 'de')).toBe('de');
    expect(negotiateLocale('*', 'en')).toBe('en');
    expect(negotiateLocale('fr, *;q=0.5', 'de')).toBe('de');
    expect(negotiateLocale('en;q=0.4, *;q=0.5', 'en')).toBe('de');
    expect(negotiateLocale('*, de', 'en')).toBe('de');
  });

  it('q=0 means "not acceptable"', () => {
    expect(negotiateLocale('en;q=0, de;q=0.1', 'en')).toBe('de');
    expect(negotiateLocale('de;q=0', 'de')).toBe('de'); // nothing acceptable: the fallback
    expect(negotiateLocale('*;q=0, de', 'en')).toBe('de');
    expect(negotiateLocale('de, *;q=0', 'en')).toBe('de');
    expect(negotiateLocale('de;q=0, *', 'de')).toBe('en');
    expect(negotiateLocale('de;q=0.0, de-CH, en;q=0.1', 'de')).toBe('en');
    expect(negotiateLocale('*;q=0', 'de')).toBe('de');
  });

  it('a refused regional variant does not refuse the language', () => {
    expect(negotiateLocale('de-CH;q=0, *;q=0.5, en;q=0.4', 'en')).toBe('de');
    expect(negotiateLocale('de-CH;q=0, de-AT', 'en')).toBe('de');
  });

  it('accepts odd but valid spacing and case', () => {
    expect(negotiateLocale(' fr ,\tde ; q=0.9 ,en;Q=0.1', 'en')).toBe('de');
    expect(negotiateLocale('en;q=0.1,,, ,de', 'en')).toBe('de');
    expect(negotiateLocale('\t de-DE \t', 'en')).toBe('de');
  });
});

describe('negotiateLocale: malformed entries', () => {
  it('skips malformed entries and keeps the rest', () => {
    const malformed = [
      'de;q=2',
      'de;q=1.5',
      'de;q=-1',
      'de;q=0.1234',
      'de;q=abc',
      'de;q=',
      'de;q',
      'de;',
      'de;q=1;q=0',
      'de;level=1',
      'de q=1',
      'de_DE',
      'deutschland',
      'de--DE',
      'de-',
      '-de',
      'd\u00e9',
      '\u0000de',
      'de\nq',
      '**',
      'de;q=0x1',
      'de;q=1e0',
    ];
    for (const entry of malformed) {
      expect(negotiateLocale(`${entry}, en;q=0.1`, 'de')).toBe('en');
      expect(negotiateLocale(entry, 'en')).toBe('en');
    }
  });
});

describe('negotiateLocale: hostile input', () => {
  it('never throws on hostile input and answers a locale', () => {
    const hostile: unknown[] = [
      ';;;;,,,,====',
      'q=1',
      ';q=1',
      '\u202e\ud800\udfff',
      'de;q=1'.repeat(10_000),
      'a-'.repeat(50_000),
      `${'x'.repeat(8)}-`.repeat(20_000),
      '\u00a0de\u00a0',
      '[object Object]',
      '__proto__, constructor;q=1, toString',
      null,
      42,
      ['de'],
    ];
    for (const value of hostile) {
      const answer = negotiateLocale(value as string, 'en');
      expect(LOCALES).toContain(answer);
    }
  });

  it('reads a very long header only up to a bounded length, quickly', () => {
    const long = `${'fr;q=0.5, '.repeat(200_000)}de`;
    const started = process.hrtime.bigint();
    expect(negotiateLocale(long, 'en')).toBe('en');
    expect(negotiateLocale(`de, ${long}`, 'en')).toBe('de');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
  });

  it('considers a bounded number of entries', () => {
    const many = `${Array.from({ length: 100 }, () => 'fr').join(',')},de`;
    expect(negotiateLocale(many, 'en')).toBe('en');
    expect(negotiateLocale(`de;q=0.1,${many}`, 'en')).toBe('de');
  });
});
