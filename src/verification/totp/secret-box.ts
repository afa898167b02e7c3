import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The HKDF label of the key that seals authenticator-app secrets. */
export const TOTP_SECRET_LABEL = 'totp-secret';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A 256-bit key for one purpose, derived from APP_SECRET by HKDF-SHA-256 with the purpose as its
 * info label: every label gives an independent key, and none can be computed from another.
 */
export function deriveKey(appSecret: string, label: string): Buffer {
  if (!appSecret) throw new RangeError('APP_SECRET is empty');
  if (!label) throw new RangeError('A key needs a label');
  return Buffer.from(hkdfSync('sha256', appSecret, '', label, 32));
}

/**
 * AES-256-GCM for small secrets stored in the database (TOTP secrets), the scheme of the outbox's
 * PayloadCipher with a key of its own: `v1.<iv>.<tag>.<ciphertext>` in base64, a fresh 96-bit IV
 * per seal, and the owning record's id as additional data, so a sealed value copied onto another
 * row does not open. Errors never contain the secret or the sealed value.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(appSecret: string, label: string) {
    this.key = deriveKey(appSecret, label);
  }

  seal(plain: string, recordId: string): string {
    if (!plain) throw new RangeError('Nothing to seal');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(additionalData(recordId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map(encode).join('.');
  }

  open(sealed: string, recordId: string): string {
    const parts = sealed.split('.');
    const [version, iv, tag, body] = parts;
    if (parts.length !== 4 || version !== VERSION || ![iv, tag, body].every(isBase64))
      throw new Error('Unknown sealed secret format');
    const ivBytes = Buffer.from(iv, 'base64');
    const tagBytes = Buffer.from(tag, 'base64');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
      throw new Error('Unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(recordId));
    decipher.setAuthTag(tagBytes);
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      throw new Error('The sealed secret does not open with this key and record');
    }
  }
}

/** The box for authenticator-app secrets. */
export function totpSecretBox(appSecret: string): SecretBox {
  return new SecretBox(appSecret, TOTP_SECRET_LABEL);
}

function additionalData(recordId: string): Buffer {
  if (!recordId) throw new RangeError('A sealed secret is bound to a record id');
  return Buffer.from(recordId, 'utf8');
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64');
}

function isBase64(part: string | undefined): part is string {
  return part !== undefined && part.length > 0 && BASE64.test(part);
}
