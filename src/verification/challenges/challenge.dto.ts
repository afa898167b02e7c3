import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { maskEmail, maskPhone } from '../../common/masking';
import { RequestOptionsJson } from '../webauthn/webauthn-schemas';
import { Challenge, Channel } from './challenge.entity';

const CHANNELS: Channel[] = ['passkey', 'authenticator', 'sms', 'email'];

export class ChallengeDto {
  @ApiProperty({ enum: ['code_required'] })
  status!: 'code_required';

  @ApiProperty({ format: 'uuid' })
  challengeId!: string;

  @ApiProperty({
    enum: CHANNELS,
    description:
      'Where the second factor comes from: a code sent by SMS or email, the authenticator app, or a passkey (nothing is sent for the last two).',
  })
  channel!: Channel;

  @ApiProperty({
    example: '+49 ••• ••• 67',
    nullable: true,
    type: String,
    description:
      'Masked: phone → country code and last two digits; email → first letter and domain. null for authenticator and passkey.',
  })
  destination!: string | null;

  @ApiProperty({
    enum: CHANNELS,
    isArray: true,
    example: ['authenticator', 'sms'],
    description:
      'Channels this login may switch to (resend with `channel`), strongest first. Email is not among them once the user has a strong factor.',
  })
  availableChannels!: Channel[];

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({
    format: 'date-time',
    description:
      'The last send plus the cooldown, or the creation time if nothing was sent; switching channels never moves it.',
  })
  resendAvailableAt!: string;

  @ApiProperty({
    example: 4,
    description:
      'Wrong codes still allowed before the account is deactivated (login) or the challenge is voided (phone).',
  })
  attemptsLeft!: number;

  @ApiProperty({
    enum: ['queued', 'sent', 'failed', 'none'],
    description: 'The delivery of the code sent last; `none` when the channel sends nothing.',
  })
  delivery!: 'queued' | 'sent' | 'failed' | 'none';

  @ApiPropertyOptional({
    type: RequestOptionsJson,
    description:
      "For navigator.credentials.get(): a fresh WebAuthn challenge (valid 5 minutes) and this user's passkeys. Present only when `passkey` is among availableChannels; every resend or switch issues new options. A passkey answers only once the channel is `passkey`.",
  })
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
}

/** What the answer says beyond the challenge row itself. */
export interface ChallengeView {
  /** The country calling code of the user's phone, for masking an SMS destination. */
  countryCode: string | null;
  availableChannels: ChallengeDto['availableChannels'];
  attemptsLeft: number;
  delivery: ChallengeDto['delivery'];
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
}

function masked(challenge: Challenge, countryCode: string | null): string | null {
  if (!challenge.destination) return null;
  return challenge.channel === 'sms'
    ? maskPhone(countryCode ?? '+', challenge.destination)
    : maskEmail(challenge.destination);
}

/** The one mapping of a challenge to its answer; the destination is masked. */
export function toChallengeDto(challenge: Challenge, view: ChallengeView): ChallengeDto {
  return {
    status: 'code_required',
    challengeId: challenge.id,
    channel: challenge.channel,
    destination: masked(challenge, view.countryCode),
    availableChannels: view.availableChannels,
    expiresAt: challenge.expiresAt.toISOString(),
    resendAvailableAt: challenge.resendAvailableAt.toISOString(),
    attemptsLeft: view.attemptsLeft,
    delivery: view.delivery,
    ...(view.passkeyOptions ? { passkeyOptions: view.passkeyOptions } : {}),
  };
}
