import { randomBytes } from 'node:crypto';
import { hmacSha256 } from '../../common/crypto.util';

/**
 * Recovery codes: 10 characters of Crockford's base32 (50 bits from the CSPRNG), shown as
 * `XXXXX-XXXXX`, stored only as an HMAC bound to the user, consumed once.
 *
 * Input is forgiving where it cannot hurt: any case, with or without the dash (or a space) in the
 * middle, surrounding whitespace, and Crockford's look-alikes (I and L read as 1, O as 0).
 * Everything else is refused, so that the HMAC is always computed over the canonical form.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;
const MAX_COUNT = 100;
/** Anything longer is not a code; refused before any other work. */
const MAX_INPUT_LENGTH = 64;
const INPUT_PATTERN = /^([0-9A-Za-z]{5})[- ]?([0-9A-Za-z]{5})$/;
const CANONICAL_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;
const LOOK_ALIKES: Record<string, string> = { I: '1', L: '1', O: '0' };

/** `count` distinct fresh codes, formatted `XXXXX-XXXXX`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw new RangeError(`A set has 1 to ${MAX_COUNT} recovery codes`);
  const codes = new Set<string>();
  while (codes.size < count) codes.add(formatRecoveryCode(randomCanonicalCode()));
  return [...codes];
}

/**
 * The canonical form (10 upper-case Crockford characters, no dash) of what a user typed, or null
 * when it cannot be a recovery code. Never throws, whatever the input.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const match = INPUT_PATTERN.exec(input.trim());
  if (!match) return null;
  const code = (match[1] + match[2]).toUpperCase().replace(/[ILO]/g, (c) => LOOK_ALIKES[c]);
  return CANONICAL_PATTERN.test(code) ? code : null;
}

/** `XXXXX-XXXXX`, the way codes are shown. */
export function formatRecoveryCode(canonical: string): string {
  assertCanonical(canonical);
  return `${canonical.slice(0, 5)}-${canonical.slice(5)}`;
}

/**
 * The stored form of a code: HMAC-SHA-256 under APP_SECRET over the purpose, the user's id and
 * the canonical code (hex). Bound to the user, so a row copied to another user never matches.
 * Look a code up by this value (`WHERE user_id = :user AND code_hmac = :mac AND used_at IS NULL`)
 * and consume it in the same statement.
 */
export function recoveryCodeHmac(appSecret: string, userId: string, normalized: string): string {
  if (!appSecret) throw new RangeError('APP_SECRET is empty');
  if (!userId) throw new RangeError('A recovery code belongs to a user');
  assertCanonical(normalized);
  return hmacSha256(appSecret, 'recovery-code', userId, normalized);
}

function randomCanonicalCode(): string {
  // 32 divides 256: the low five bits of a random byte are uniform over the alphabet.
  const bytes = randomBytes(RECOVERY_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += CROCKFORD_ALPHABET[byte & 31];
  return code;
}

function assertCanonical(code: string): void {
  if (typeof code !== 'string' || !CANONICAL_PATTERN.test(code))
    throw new RangeError('Not a normalized recovery code');
}
