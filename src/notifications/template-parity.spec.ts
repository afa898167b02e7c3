import { Locale, LOCALES } from '../common/locale';
import { formatTime, RenderedMessage, renderTemplate } from './templates';
import { MESSAGES_DE } from './templates/messages.de';
import { MESSAGES_EN } from './templates/messages.en';
import { TEMPLATE_VARIABLES, TemplateName, TemplateVariables } from './templates/variables';

/**
 * Every template exists in every locale and uses the same variables there: each template is
 * rendered in each locale with a recognisable value (a sentinel) for every declared variable,
 * in every variant of its flags, optional values and small counts, and each locale's output must
 * show exactly the same sentinels in the subject, the text and the HTML.
 */

const NAMES = Object.keys(TEMPLATE_VARIABLES) as TemplateName[];
const PARTS = ['subject', 'text', 'html'] as const;

interface Variant {
  label: string;
  variables: Record<string, unknown>;
}

/** How a variable's sentinel looks in a locale's output (null: a value with no sentinel). */
function shownAs(name: TemplateName, key: string, value: unknown, locale: Locale): string | null {
  const kinds: Record<string, string> = TEMPLATE_VARIABLES[name];
  if (kinds[key] === 'time') return formatTime(value as string, locale);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && value > 2) return String(value);
  return null;
}

/** A distinct, findable value per variable; flags true, optional values present. */
function baseVariables(name: TemplateName): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  Object.entries(TEMPLATE_VARIABLES[name]).forEach(([key, kind], i) => {
    if (kind === 'flag') variables[key] = true;
    else if (kind === 'count') variables[key] = 90_001 + i;
    else if (kind === 'code') variables[key] = String(583_001 + i);
    else if (kind === 'time') variables[key] = `2031-07-09T13:4${i}:00.000Z`;
    else if (kind === 'url' || kind === 'link') variables[key] = `https://example.test/%%${key}%%`;
    else variables[key] = `%%${key}%%`;
  });
  return variables;
}

function variantsOf(name: TemplateName): Variant[] {
  const base = baseVariables(name);
  const variants: Variant[] = [{ label: 'all set', variables: base }];
  for (const [key, kind] of Object.entries(TEMPLATE_VARIABLES[name])) {
    const vary = (value: unknown): void => {
      variants.push({ label: `${key}=${String(value)}`, variables: { ...base, [key]: value } });
    };
    if (kind === 'flag') vary(false);
    if (kind === 'optionalText') vary(null);
    if (kind === 'count') [0, 1, 2].forEach(vary);
  }
  return variants;
}

const render = (name: TemplateName, locale: Locale, variables: Record<string, unknown>) =>
  renderTemplate(name, locale, variables as unknown as TemplateVariables[typeof name]);

/** The variables whose sentinel each part of the message shows. */
function sentinelsIn(
  name: TemplateName,
  variables: Record<string, unknown>,
  locale: Locale,
): Record<(typeof PARTS)[number], string[]> {
  const message: RenderedMessage = render(name, locale, variables);
  const found = (part: string) =>
    Object.keys(variables).filter((key) => {
      const shown = shownAs(name, key, variables[key], locale);
      return shown !== null && part.includes(shown);
    });
  return { subject: found(message.subject), text: found(message.text), html: found(message.html) };
}

const CASES = NAMES.flatMap((name) =>
  variantsOf(name).map((variant) => [name, variant.label, variant] as const),
);

describe('templates in every locale', () => {
  it('both locales have exactly the declared templates', () => {
    expect(LOCALES).toEqual(['en', 'de']);
    expect(Object.keys(MESSAGES_EN).sort()).toEqual([...NAMES].sort());
    expect(Object.keys(MESSAGES_DE).sort()).toEqual([...NAMES].sort());
  });

  it.each(CASES)('%s (%s) shows the same variables in every locale', (name, _label, variant) => {
    const [first, ...others] = LOCALES.map((locale) =>
      sentinelsIn(name, variant.variables, locale),
    );
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(CASES)('%s (%s) leaks nothing unrendered', (name, _label, variant) => {
    for (const locale of LOCALES) {
      const message = render(name, locale, variant.variables);
      for (const part of PARTS) {
        expect(message[part]).not.toMatch(/undefined|\[object|NaN|\bnull\b|Invalid Date|\$\{/);
        expect(message[part].trim()).not.toBe('');
      }
      expect(message.subject).not.toMatch(/[\r\n]/);
    }
  });

  it.each(NAMES)('%s shows each of its variables (but flags) in its text', (name) => {
    const variables = baseVariables(name);
    for (const locale of LOCALES) {
      const shown = sentinelsIn(name, variables, locale).text;
      const expected = Object.entries(TEMPLATE_VARIABLES[name])
        .filter(([, kind]) => kind !== 'flag')
        .map(([key]) => key);
      expect(shown.sort()).toEqual(expected.sort());
    }
  });
});

describe('templates in every locale: times, secrets, unknown names', () => {
  it.each(NAMES)('%s shows times in the human format, never as ISO strings', (name) => {
    const variables = baseVariables(name);
    for (const locale of LOCALES) {
      const message = render(name, locale, variables);
      expect(message.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(message.html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('formats a time per locale, in UTC', () => {
    expect(formatTime('2026-12-03T16:25:00.000Z', 'en')).toBe('3 December 2026, 16:25 UTC');
    expect(formatTime('2026-12-03T16:25:00.000Z', 'de')).toBe('3. Dezember 2026, 16:25 UTC');
    expect(formatTime('2026-03-01T00:05:59.999+02:00', 'de')).toBe('28. Februar 2026, 22:05 UTC');
    expect(formatTime('2026-07-09T00:00:00Z', 'en')).toBe('9 July 2026, 00:00 UTC');
    expect(formatTime('not a time', 'en')).toBe('not a time');
  });

  it('only the messages that exist to carry them hold a code or a link with a token', () => {
    const carrying = NAMES.filter((name) =>
      Object.values(TEMPLATE_VARIABLES[name]).some((kind) => kind === 'code' || kind === 'link'),
    );
    expect(carrying.sort()).toEqual(['login_code', 'password_reset', 'phone_code', 'set_password']);
  });

  it('refuses an unknown locale', () => {
    const variables = { code: '0427', minutes: 10 };
    expect(() => renderTemplate('login_code', 'fr' as Locale, variables)).toThrow(/Unknown locale/);
    expect(() => renderTemplate('login_code', 'toString' as Locale, variables)).toThrow(
      /Unknown locale/,
    );
  });

  it('refuses a name that is no template, in every locale', () => {
    for (const locale of LOCALES) {
      expect(() => renderTemplate('constructor' as TemplateName, locale, {} as never)).toThrow(
        /Unknown template/,
      );
    }
  });
});
