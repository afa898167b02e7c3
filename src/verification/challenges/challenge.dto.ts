import { ApiProperty } from '@nestjs/swagger';

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
