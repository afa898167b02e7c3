/**
 * What each message template is given. The same variables serve every locale; `time` values
 * arrive as ISO-8601 strings and reach a locale's template already in its human format.
 */
export interface TemplateVariables {
  set_password: {
    name: string;
    link: string;
    accountName: string;
    invited: boolean;
    expiresHours: number;
  };
  signup_exists: { name: string; resetUrl: string };
  login_code: { code: string; minutes: number };
  phone_code: { code: string; minutes: number };
  /** `ip`, `userAgent` null: not known (each locale words that itself). */
  account_deactivated: {
    name: string;
    time: string;
    ip: string | null;
    userAgent: string | null;
    resetUrl: string;
  };
  password_reset: { name: string; link: string; minutes: number };
  /** `ip`, `userAgent` null: not known. */
  password_changed: { name: string; time: string; ip: string | null; userAgent: string | null };
  /** `maskedPhone` null: the number was removed. */
  phone_changed: { name: string; maskedPhone: string | null; time: string };
  two_factor_changed: { name: string; enabled: boolean; time: string };
  account_reactivated: { name: string; time: string };
  authenticator_added: { name: string; time: string };
  authenticator_removed: { name: string; time: string };
  /** `count`: how many new codes there are. */
  recovery_codes_generated: { name: string; time: string; count: number };
  /** `left`: the unused recovery codes after this one. */
  recovery_code_used: { name: string; time: string; left: number };
  passkey_added: { name: string; time: string; passkeyName: string };
  passkey_removed: { name: string; time: string; passkeyName: string };
  /** An administrator removed the user's authenticator, passkeys and recovery codes. */
  second_factors_reset: { name: string; time: string };
}

export type TemplateName = keyof TemplateVariables;

/** The notices about strong second factors and recovery codes (templates/factor-notices.*). */
export type FactorNotice =
  | 'authenticator_added'
  | 'authenticator_removed'
  | 'recovery_codes_generated'
  | 'recovery_code_used'
  | 'passkey_added'
  | 'passkey_removed'
  | 'second_factors_reset';

/**
 * What a variable holds, known at run time: the renderer formats `time` values per locale, and
 * tests use it to check every locale uses the same variables and that no security notice
 * carries a secret. `code` and `link` (a link with a token) are secrets; `url` is a public link.
 */
export type VariableKind =
  'text' | 'optionalText' | 'url' | 'link' | 'code' | 'time' | 'count' | 'flag';

type KindOf<T> = [T] extends [boolean]
  ? 'flag'
  : [T] extends [number]
    ? 'count'
    : [T] extends [string]
      ? 'text' | 'url' | 'link' | 'code' | 'time'
      : [T] extends [string | null]
        ? 'optionalText'
        : never;

/** Every variable of every template with its kind; it must match `TemplateVariables` exactly. */
export type VariableKinds = {
  [K in TemplateName]: { [V in keyof TemplateVariables[K]]-?: KindOf<TemplateVariables[K][V]> };
};

export const TEMPLATE_VARIABLES: VariableKinds = {
  set_password: {
    name: 'text',
    link: 'link',
    accountName: 'text',
    invited: 'flag',
    expiresHours: 'count',
  },
  signup_exists: { name: 'text', resetUrl: 'url' },
  login_code: { code: 'code', minutes: 'count' },
  phone_code: { code: 'code', minutes: 'count' },
  account_deactivated: {
    name: 'text',
    time: 'time',
    ip: 'optionalText',
    userAgent: 'optionalText',
    resetUrl: 'url',
  },
  password_reset: { name: 'text', link: 'link', minutes: 'count' },
  password_changed: {
    name: 'text',
    time: 'time',
    ip: 'optionalText',
    userAgent: 'optionalText',
  },
  phone_changed: { name: 'text', maskedPhone: 'optionalText', time: 'time' },
  two_factor_changed: { name: 'text', enabled: 'flag', time: 'time' },
  account_reactivated: { name: 'text', time: 'time' },
  authenticator_added: { name: 'text', time: 'time' },
  authenticator_removed: { name: 'text', time: 'time' },
  recovery_codes_generated: { name: 'text', time: 'time', count: 'count' },
  recovery_code_used: { name: 'text', time: 'time', left: 'count' },
  passkey_added: { name: 'text', time: 'time', passkeyName: 'text' },
  passkey_removed: { name: 'text', time: 'time', passkeyName: 'text' },
  second_factors_reset: { name: 'text', time: 'time' },
};

/** A message in one language, before layout: the renderer builds the text and HTML bodies. */
export interface MessageContent {
  subject: string;
  /** Paragraphs of plain text; the renderer escapes them for HTML. */
  paragraphs: string[];
  /** A link: a button in the HTML body, a "label: href" line at the end of the text. */
  action?: { label: string; href: string };
}

/** One locale's templates: every template, each reading exactly its own variables. */
export type LocaleMessages = {
  [K in TemplateName]: (variables: TemplateVariables[K]) => MessageContent;
};
