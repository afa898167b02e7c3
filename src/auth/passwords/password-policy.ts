import { dictionary } from '@zxcvbn-ts/language-common';

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
export const MAX_PASSWORD_BYTES = 72;

/** Passwords are compared and hashed in Unicode NFC, so the same password typed anywhere matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/**
 * The contract's password rules: at least `minLength` characters, at most 72 UTF-8 bytes (bcrypt's
 * limit, never truncated), any Unicode, no composition rules; common passwords and the user's own
 * email are refused. Returns the reasons it is refused (empty when fine).
 */
export function passwordProblems(password: string, minLength: number, email?: string): string[] {
  const normalized = normalizePassword(password);
  const problems: string[] = [];
  const characters = [...normalized].length;
  if (characters < minLength)
    problems.push(`password must be at least ${minLength} characters long`);
  if (Buffer.byteLength(normalized, 'utf8') > MAX_PASSWORD_BYTES) {
    problems.push(`password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8`);
  }
  const lower = normalized.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1*$/u.test(normalized)) problems.push('password is too common');
  if (email) {
    const address = email.toLowerCase();
    const local = address.split('@')[0];
    if (lower === address || (local.length >= 4 && lower === local)) {
      problems.push('password must not be your email address');
    }
  }
  return problems;
}
