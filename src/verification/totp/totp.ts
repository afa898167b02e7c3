import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';

/**
 * Authenticator-app codes (RFC 6238 TOTP): SHA-1, 6 digits, 30-second steps, as the contract fixes
 * them. Secrets are base32 (RFC 4648, no padding) as authenticator apps expect.
 *
 * Replay (RFC 6238 §5.2): matchTotp returns the time step a code belongs to. The caller keeps the
 * last accepted step per user and takes a code only when acceptableStep(step, lastStep) holds,
 * storing the new step in the same statement that checks it
 * (`UPDATE … SET totp_last_step = :step WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)`,
 * one row updated = accepted), so that two parallel submissions of one code cannot both pass.
 */
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** 160 bits, the size RFC 4226 recommends and the contract requires. */
export const TOTP_SECRET_BYTES = 20;
/** RFC 4226 R6: shared secrets of at least 128 bits. */
const MIN_SECRET_BYTES = 16;
const MAX_WINDOW = 10;
const CODE_PATTERN = /^[0-9]{6}$/;

/** A fresh secret: 160 bits from the CSPRNG, base32 without padding (32 characters). */
export function newTotpSecret(): string {
  return new Secret({ buffer: toArrayBuffer(randomBytes(TOTP_SECRET_BYTES)) }).base32;
}

/** TOTP_ISSUER when set, else the hostname (no port) of APP_PUBLIC_URL. */
export function totpIssuer(publicUrl: string, configured?: string): string {
  const issuer = configured?.trim();
  return issuer ? issuer : new URL(publicUrl).hostname;
}

/**
 * `otpauth://totp/<issuer>:<account>?secret=…&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`.
 * Issuer and account are percent-encoded each (a `:` inside either becomes %3A, so the separator
 * stays unambiguous; a space is %20, never `+`).
 */
export function otpauthUri(input: { issuer: string; accountName: string; secret: string }): string {
  const secret = input.secret.toUpperCase();
  if (!/^[A-Z2-7]+$/.test(secret)) throw new RangeError('The TOTP secret is not base32');
  if (!input.issuer || !input.accountName) throw new RangeError('Issuer and account are required');
  const issuer = encodeURIComponent(input.issuer);
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`;
  return (
    `otpauth://totp/${label}?secret=${secret}&issuer=${issuer}` +
    `&algorithm=${TOTP_ALGORITHM}&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`
  );
}

/** The time step (RFC 6238's counter T) of a moment: floor(unix seconds / 30). */
export function totpStep(nowMs: number): number {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError('Not a valid time');
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of one time step (used by tests and by nothing that answers a request). */
export function totpCodeAt(secret: string, step: number): string {
  return HOTP.generate({
    secret: decodeSecret(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    counter: step,
  });
}

/**
 * The time step whose code equals `code`, looking `window` steps either side of the step of
 * `nowMs`, or null. Anything but exactly 6 ASCII digits is refused without computing a code.
 * Every candidate is computed and compared in constant time; when two steps of the window share
 * the code (chance about 1 in 10^6), the later one is returned, so that a code valid now is never
 * refused because an earlier step that happens to share it was already used.
 */
export function matchTotp(secret: string, code: string, nowMs: number, window = 1): number | null {
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW)
    throw new RangeError(`The window must be an integer from 0 to ${MAX_WINDOW}`);
  const key = decodeSecret(secret);
  const current = totpStep(nowMs);
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) return null;
  const given = Buffer.from(code, 'ascii');
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = HOTP.generate({
      secret: key,
      algorithm: TOTP_ALGORITHM,
      digits: TOTP_DIGITS,
      counter: step,
    });
    if (timingSafeEqual(given, Buffer.from(expected, 'ascii'))) matched = step;
  }
  return matched;
}

/**
 * Whether a matched step may be accepted: only a step later than the last accepted one (none yet:
 * null), so that a code never works twice, nor an older code after a newer one.
 */
export function acceptableStep(matched: number | null, lastStep: number | null): boolean {
  if (matched === null) return false;
  return lastStep === null || matched > lastStep;
}

function decodeSecret(secret: string): Secret {
  if (typeof secret !== 'string' || !/^[A-Za-z2-7]+=*$/.test(secret))
    throw new RangeError('The TOTP secret is not base32');
  const decoded = Secret.fromBase32(secret);
  if (decoded.buffer.byteLength < MIN_SECRET_BYTES)
    throw new RangeError('The TOTP secret is shorter than 128 bits');
  return decoded;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}
