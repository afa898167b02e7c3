import { SECURITY_CODE_SOURCE } from './codes';

/**
 * Every code, token and password the suite creates or receives. The app's captured output must
 * contain none of them (see AppProcess.assertNoSecretsInLogs).
 */
class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined | null): void {
    if (value && value.length >= 4) this.values.add(value);
  }

  /** Codes ("security code is 0427", any locale) and link tokens ("?token=…") in a message. */
  harvest(text: string): void {
    for (const m of text.matchAll(new RegExp(SECURITY_CODE_SOURCE, 'g'))) this.add(m[1]);
    for (const m of text.matchAll(/token=([A-Za-z0-9_%-]{20,})/g))
      this.add(decodeURIComponent(m[1]));
  }

  /** accessToken / deviceToken of an API answer. */
  harvestBody(body: unknown): void {
    if (!body || typeof body !== 'object') return;
    const b = body as Record<string, unknown>;
    if (typeof b.accessToken === 'string') this.add(b.accessToken);
    if (typeof b.deviceToken === 'string') this.add(b.deviceToken);
  }

  /** Secrets found in `text`; 4-digit codes only count as a word of their own. */
  foundIn(text: string): string[] {
    return [...this.values].filter((v) =>
      /^\d{4,9}$/.test(v) ? this.codeInText(v, text) : text.includes(v),
    );
  }

  /**
   * A short numeric code appears in a log line as a value (quoted or after ": "), not inside ids
   * or times, nor as the number of a log line's own numeric fields (a pid of 4 digits can equal a
   * code).
   */
  private codeInText(code: string, text: string): boolean {
    return new RegExp(
      `("${code}"|(?<!"(?:pid|time|level|responseTime|statusCode)"): ?${code}\\b|code[^0-9]{0,12}${code}\\b)`,
    ).test(text);
  }

  get all(): string[] {
    return [...this.values];
  }
}

export const secrets = new SecretRegistry();

/** Adds a password the test made up to the registry of secrets, and returns it. */
export function secret(value: string): string {
  secrets.add(value);
  return value;
}
