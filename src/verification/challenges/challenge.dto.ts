import { ApiProperty } from '@nestjs/swagger';
import { maskEmail, maskPhone } from '../../common/masking';
import { Challenge } from './challenge.entity';

export class ChallengeDto {
  @ApiProperty({ enum: ['code_required'] })
  status!: 'code_required';

  @ApiProperty({ format: 'uuid' })
  challengeId!: string;

  @ApiProperty({ enum: ['sms', 'email'] })
  channel!: 'sms' | 'email';

  @ApiProperty({
    example: '+49 ••• ••• 67',
    description:
      'Masked: phone → country code and last two digits; email → first letter and domain.',
  })
  destination!: string;

  @ApiProperty({ enum: ['sms', 'email'], isArray: true, example: ['sms', 'email'] })
  availableChannels!: ('sms' | 'email')[];

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ format: 'date-time' })
  resendAvailableAt!: string;

  @ApiProperty({
    example: 4,
    description:
      'Wrong codes still allowed before the account is deactivated (login) or the challenge is voided (phone).',
  })
  attemptsLeft!: number;

  @ApiProperty({ enum: ['queued', 'sent', 'failed'] })
  delivery!: 'queued' | 'sent' | 'failed';
}

/** What the answer says beyond the challenge row itself. */
export interface ChallengeView {
  /** The country calling code of the user's phone, for masking an SMS destination. */
  countryCode: string | null;
  availableChannels: ChallengeDto['availableChannels'];
  attemptsLeft: number;
  delivery: ChallengeDto['delivery'];
}

/** The one mapping of a challenge to its answer; the destination is masked. */
export function toChallengeDto(challenge: Challenge, view: ChallengeView): ChallengeDto {
  return {
    status: 'code_required',
    challengeId: challenge.id,
    channel: challenge.channel,
    destination:
      challenge.channel === 'sms'
        ? maskPhone(view.countryCode ?? '+', challenge.destination)
        : maskEmail(challenge.destination),
    availableChannels: view.availableChannels,
    expiresAt: challenge.expiresAt.toISOString(),
    resendAvailableAt: challenge.resendAvailableAt.toISOString(),
    attemptsLeft: view.attemptsLeft,
    delivery: view.delivery,
  };
}
