import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software passkey authenticator for tests: one ES256 (P-256) key pair per credential, `none`
 * attestation, and authenticator data, client data and signatures built by hand as a browser and
 * a platform authenticator would (WebAuthn Level 3 §6.1, §6.5, §7). It answers the server's
 * options JSON with the response JSON a frontend posts, and can be told to misbehave.
 */

/** Authenticator data flags (WebAuthn §6.1). */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;
const ES256 = -7;

export interface SoftwareCredential {
  /** Credential id, base64url. */
  id: string;
  rpId: string;
  /** The user.id of the creation options (the user handle), base64url. */
  userHandle: string;
  privateKey: KeyObject;
  /** COSE_Key of the public key, as it appears in the attested credential data. */
  publicKey: Uint8Array;
  signCount: number;
}

export interface AuthenticatorSettings {
  /** The origin of the page the "browser" runs, e.g. https://app.example.test. */
  origin: string;
  /** AAGUID, 16 bytes (default: zeros, as `none` attestation reports it). */
  aaguid?: Buffer;
  /** BE and BS flags: a synced passkey by default. */
  backupEligible?: boolean;
  backedUp?: boolean;
  /** UV flag (default: the user was verified). */
  userVerified?: boolean;
  /** Signature counter: +1 per assertion (default), or always 0 like most synced passkeys. */
  counter?: 'increment' | 'zero';
}

/** Ways to misbehave, for one ceremony. */
export interface Knobs {
  /** The origin written into client data. */
  origin?: string;
  /** The RP ID whose SHA-256 goes into authenticator data (the credential stays the options'). */
  rpId?: string;
  /** The challenge written into client data (e.g. an old one: a replay). */
  challenge?: string;
  /** The signature counter to report (and keep), e.g. lower than before. */
  counter?: number;
  /** Client data `type`. */
  type?: string;
  userPresent?: boolean;
  userVerified?: boolean;
  /** Registration: attest this existing credential again (same id and key) instead of a new one. */
  reuseCredential?: string;
  /** Unknown members added to the credential, its response, and the client data. */
  extra?: {
    credential?: Record<string, unknown>;
    response?: Record<string, unknown>;
    clientData?: Record<string, unknown>;
  };
}

export interface AssertionKnobs extends Knobs {
  /** Which credential answers (default: the first allowed one of this RP ID). */
  credentialId?: string;
  /** The user handle to send; null leaves it out (default: the credential's). */
  userHandle?: string | null;
  /** Flip one bit of the signature. */
  corruptSignature?: boolean;
}

export class SoftwareAuthenticator {
  private readonly credentials = new Map<string, SoftwareCredential>();
  private readonly settings: Required<AuthenticatorSettings>;

  constructor(settings: AuthenticatorSettings) {
    this.settings = {
      aaguid: Buffer.alloc(16),
      backupEligible: true,
      backedUp: true,
      userVerified: true,
      counter: 'increment',
      ...settings,
    };
    if (this.settings.aaguid.length !== 16) throw new Error('An AAGUID has 16 bytes');
  }

  /** navigator.credentials.create(): a new credential and its RegistrationResponseJSON. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    knobs: Knobs = {},
  ): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.settings.origin).hostname;
    if (!options.pubKeyCredParams.some((p) => p.alg === ES256))
      throw new Error('NotSupportedError: only ES256 (-7) is supported');
    if (options.excludeCredentials?.some((c) => this.credentials.get(c.id)?.rpId === rpId))
      throw new Error('InvalidStateError: a credential of this authenticator is excluded');
    const credential = knobs.reuseCredential
      ? this.credential(knobs.reuseCredential)
      : this.newCredential(rpId, options.user.id, knobs.counter ?? 0);
    const rawId = Buffer.from(credential.id, 'base64url');
    const authData = Buffer.concat([
      this.authDataHeader(knobs.rpId ?? rpId, FLAGS.AT, knobs, credential.signCount),
      this.settings.aaguid,
      uint16(rawId.length),
      rawId,
      credential.publicKey,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    const clientData = this.clientData('webauthn.create', options.challenge, knobs);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        transports: ['internal', 'hybrid'],
        publicKeyAlgorithm: ES256,
        publicKey: createPublicKey(credential.privateKey)
          .export({ type: 'spki', format: 'der' })
          .toString('base64url'),
        ...knobs.extra?.response,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      ...knobs.extra?.credential,
    };
  }

  /** navigator.credentials.get(): an assertion signed by one of the allowed credentials. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    knobs: AssertionKnobs = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(this.settings.origin).hostname;
    const credential = this.pick(rpId, options, knobs.credentialId);
    credential.signCount =
      knobs.counter ?? (this.settings.counter === 'zero' ? 0 : credential.signCount + 1);
    const authData = this.authDataHeader(knobs.rpId ?? rpId, 0, knobs, credential.signCount);
    const clientData = this.clientData('webauthn.get', options.challenge, knobs);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
    const signature = sign('sha256', signed, credential.privateKey);
    if (knobs.corruptSignature) signature[signature.length - 1] ^= 0x01;
    const userHandle = knobs.userHandle === undefined ? credential.userHandle : knobs.userHandle;
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(userHandle === null ? {} : { userHandle }),
        ...knobs.extra?.response,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      ...knobs.extra?.credential,
    };
  }

  private newCredential(rpId: string, userHandle: string, signCount: number): SoftwareCredential {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: SoftwareCredential = {
      id: randomBytes(16).toString('base64url'),
      rpId,
      userHandle,
      privateKey,
      publicKey: coseEs256(publicKey),
      signCount,
    };
    this.credentials.set(credential.id, credential);
    return credential;
  }

  /** A credential this authenticator holds (its counter, public key), by id. */
  credential(id: string): SoftwareCredential {
    const credential = this.credentials.get(id);
    if (!credential) throw new Error('No such credential');
    return credential;
  }

  private pick(
    rpId: string,
    options: PublicKeyCredentialRequestOptionsJSON,
    chosen?: string,
  ): SoftwareCredential {
    if (chosen) return this.credential(chosen);
    const allowed = options.allowCredentials?.map((c) => c.id);
    const found = [...this.credentials.values()].find(
      (c) => c.rpId === rpId && (!allowed?.length || allowed.includes(c.id)),
    );
    if (!found) throw new Error('NotAllowedError: no credential of this authenticator is allowed');
    return found;
  }

  /** rpIdHash (32) | flags (1) | signCount (4, big-endian). */
  private authDataHeader(rpId: string, extraFlags: number, knobs: Knobs, count: number): Buffer {
    const { backupEligible, backedUp } = this.settings;
    let flags = extraFlags;
    if (knobs.userPresent ?? true) flags |= FLAGS.UP;
    if (knobs.userVerified ?? this.settings.userVerified) flags |= FLAGS.UV;
    if (backupEligible) flags |= FLAGS.BE;
    if (backedUp) flags |= FLAGS.BS;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(count);
    return Buffer.concat([
      createHash('sha256').update(rpId, 'utf8').digest(),
      Buffer.from([flags]),
      counter,
    ]);
  }

  /** CollectedClientData, serialized in the member order browsers use. */
  private clientData(type: string, challenge: string, knobs: Knobs): Buffer {
    const data = {
      type: knobs.type ?? type,
      challenge: knobs.challenge ?? challenge,
      origin: knobs.origin ?? this.settings.origin,
      crossOrigin: false,
      ...knobs.extra?.clientData,
    };
    return Buffer.from(JSON.stringify(data), 'utf8');
  }
}

/** COSE_Key of a P-256 public key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
function coseEs256(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) throw new Error('Not an EC public key');
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, ES256],
      [-1, 1],
      [-2, Buffer.from(jwk.x, 'base64url')],
      [-3, Buffer.from(jwk.y, 'base64url')],
    ]),
  );
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
