/**
 * Logging in from a test suite of one's own, with the emailed security code (docs/TESTING.md).
 * The repository's e2e suite runs `logIn` against the real service (test/typed-client.e2e-spec.ts)
 * with its own SMTP server as the mailbox; against the docker compose stack, read the codes from
 * Mailpit with `mailpitCodes()`.
 */
import { createAccountClient, LoginFlow, type AuthResult, type ErrorOf } from '../src';

/** The security code of the first code email to `email` that arrived at or after `since`. */
export type ReadCode = (email: string, since: Date) => Promise<string>;

/** The code in a message: "Your security code is 0427." (de: "Ihr Sicherheitscode …"). */
export function codeIn(text: string): string | undefined {
  return /(?:security code|Sicherheitscode)\D{0,20}(\d{4,10})/i.exec(text)?.[1];
}

/**
 * Password, then the emailed code when the service asks for one (two-factor authentication on
 * and the device not trusted). Resolves to the signed-in result; rejects naming the error code.
 */
export async function logIn(
  baseUrl: string,
  credentials: { email: string; password: string; deviceToken?: string },
  readCode: ReadCode,
): Promise<AuthResult> {
  const flow = new LoginFlow(createAccountClient({ baseUrl }));
  const since = new Date();
  const started = await flow.start(credentials);
  if (!started.ok) throw new Error(`login answered ${started.status} ${started.error.code}`);
  if (started.data.step === 'signed_in') return started.data.result;
  const { challenge } = started.data;
  if (challenge.channel !== 'email') throw new Error(`the code goes by ${challenge.channel}`);
  const code = await readCode(credentials.email, since);
  const verified = await flow.verify(challenge, { code }, { trustDevice: false });
  if (verified.ok) return verified.data;
  throw new Error(explain(verified.error));
}

/** What went wrong, per error code (the union narrows each case). */
export function explain(error: ErrorOf<'verifyLogin'>): string {
  switch (error.code) {
    case 'invalid_code':
      return `wrong code: ${error.attemptsLeft ?? 0} attempts left before deactivation`;
    case 'code_expired':
      return 'the code expired: resend one';
    case 'too_many_requests':
      return `slow down: try again in ${error.retryAfter ?? 1} s`;
    case 'account_deactivated':
      return 'the account is deactivated: reset the password or ask an admin';
    default:
      return `${error.statusCode} ${error.code}: ${error.message}`;
  }
}

interface MailpitSummary {
  ID: string;
  Subject: string;
  Created: string;
}

/**
 * Codes from Mailpit's API (docker compose: http://localhost:8025): polls for the newest message
 * to `email` since `since` whose text holds a security code.
 */
export function mailpitCodes(mailpitUrl = 'http://localhost:8025', timeoutMs = 15_000): ReadCode {
  return async (email, since) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const query = encodeURIComponent(`to:"${email}"`);
      const found = await fetch(`${mailpitUrl}/api/v1/search?query=${query}&limit=10`);
      const { messages } = (await found.json()) as { messages: MailpitSummary[] };
      for (const message of messages.filter((m) => new Date(m.Created) >= since)) {
        const full = await fetch(`${mailpitUrl}/api/v1/message/${message.ID}`);
        const code = codeIn(((await full.json()) as { Text: string }).Text);
        if (code) return code;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`No security code for ${email} in Mailpit within ${timeoutMs} ms`);
  };
}
