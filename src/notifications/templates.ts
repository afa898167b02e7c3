import { Locale } from '../common/locale';
import { MESSAGES_DE } from './templates/messages.de';
import { MESSAGES_EN } from './templates/messages.en';
import {
  LocaleMessages,
  MessageContent,
  TEMPLATE_VARIABLES,
  TemplateName,
  TemplateVariables,
} from './templates/variables';

export type { TemplateName, TemplateVariables } from './templates/variables';

/**
 * Message templates, one set per locale (templates/messages.<locale>.ts): each renders a subject,
 * a plain-text body (also the text of an SMS) and an HTML body, in which variables are escaped.
 */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const MESSAGES: Record<Locale, LocaleMessages> = { en: MESSAGES_EN, de: MESSAGES_DE };

/** Intl's date style per locale: "3 December 2026" (en), "3. Dezember 2026" (de). */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };

const formatters = new Map<Locale, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/** An ISO-8601 time as people read it: "3 December 2026, 16:25 UTC", "3. Dezember 2026, 16:25 UTC". */
export function formatTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = formatters.get(locale);
  if (!format) {
    const tag = INTL_LOCALE[locale];
    format = {
      date: new Intl.DateTimeFormat(tag, {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
      time: new Intl.DateTimeFormat(tag, {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
      }),
    };
    formatters.set(locale, format);
  }
  return `${format.date.format(date)}, ${format.time.format(date)} UTC`;
}

export const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function layout(content: MessageContent, locale: Locale): string {
  const body = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const link = content.action;
  const button = link
    ? `<p><a href="${escapeHtml(link.href)}" style="display:inline-block;padding:10px 16px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(link.label)}</a></p>`
    : '';
  return `<!doctype html><html lang="${locale}"><body style="font-family:Arial,sans-serif;line-height:1.5">${body}\n${button}</body></html>`;
}

function plainText(content: MessageContent): string {
  const link = content.action ? `\n\n${content.action.label}: ${content.action.href}` : '';
  return `${content.paragraphs.join('\n\n')}${link}\n`;
}

/** The variables as the locale's template reads them: times in the locale's human format. */
function localize<K extends TemplateName>(
  name: K,
  variables: TemplateVariables[K],
  locale: Locale,
): TemplateVariables[K] {
  const localized: Record<string, unknown> = { ...variables };
  for (const [key, kind] of Object.entries(TEMPLATE_VARIABLES[name])) {
    const value = localized[key];
    if (kind === 'time' && typeof value === 'string') localized[key] = formatTime(value, locale);
  }
  return localized as TemplateVariables[K];
}

export function renderTemplate<K extends TemplateName>(
  name: K,
  locale: Locale,
  variables: TemplateVariables[K],
): RenderedMessage {
  if (!Object.hasOwn(MESSAGES, locale)) throw new Error(`Unknown locale ${String(locale)}`);
  const messages = MESSAGES[locale];
  if (!Object.hasOwn(messages, name)) throw new Error(`Unknown template ${String(name)}`);
  const write = messages[name] as (v: TemplateVariables[K]) => MessageContent;
  const content = write(localize(name, variables, locale));
  return { subject: content.subject, text: plainText(content), html: layout(content, locale) };
}
