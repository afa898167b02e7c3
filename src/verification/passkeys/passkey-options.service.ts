import { Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../config/app-config.service';
import { User } from '../../users/user.entity';
import { WEBAUTHN_CHALLENGE_TTL_MS } from '../challenges/challenges.service';
import { totpIssuer } from '../totp/totp';
import { Passkey } from './passkey.entity';

/** The relying party: its ID and the origins a response may come from. */
export interface RelyingParty {
  rpId: string;
  origins: string[];
}

/**
 * The options a browser needs for a WebAuthn ceremony, built from a challenge the server keeps.
 * The user handle is an HMAC of the user's id: stable, opaque, and no personal data.
 */
@Injectable()
export class PasskeyOptions {
  readonly relyingParty: RelyingParty;
  private readonly handleKey: Buffer;
  private readonly rpName: string;

  constructor(config: AppConfig) {
    this.relyingParty = config.factors.webauthn;
    this.handleKey = createHmac('sha256', config.secret).update('webauthn-user-handle/v1').digest();
    this.rpName = totpIssuer(config.publicUrl, config.factors.totpIssuer);
  }

  /** The user handle (user.id of the creation options), base64url. */
  userHandle(userId: string): string {
    return createHmac('sha256', this.handleKey).update(userId).digest('base64url');
  }

  /** navigator.credentials.create(): this user's passkeys are excluded. */
  forRegistration(
    user: User,
    challenge: string,
    existing: Passkey[],
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return generateRegistrationOptions({
      rpName: this.rpName,
      rpID: this.relyingParty.rpId,
      userName: user.email,
      userDisplayName: user.name,
      userID: isoBase64URL.toBuffer(this.userHandle(user.id)),
      challenge: isoBase64URL.toBuffer(challenge),
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(descriptor),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
  }

  /** navigator.credentials.get(): only this user's passkeys are allowed. */
  forLogin(challenge: string, passkeys: Passkey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({
      rpID: this.relyingParty.rpId,
      challenge: isoBase64URL.toBuffer(challenge),
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      allowCredentials: passkeys.map(descriptor),
      userVerification: 'preferred',
    });
  }
}

function descriptor(passkey: Passkey): {
  id: string;
  transports: AuthenticatorTransportFuture[];
} {
  return { id: passkey.credentialId, transports: transportsOf(passkey) };
}

/** The transports kept with a passkey. */
export function transportsOf(passkey: Passkey): AuthenticatorTransportFuture[] {
  const parsed: unknown = JSON.parse(passkey.transports);
  return Array.isArray(parsed) ? (parsed as AuthenticatorTransportFuture[]) : [];
}
