import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Tx } from '../database/database.service';
import { SmsLimitsService } from '../notifications/sms-limits.service';
import { NormalizedPhone, normalizePhone } from '../users/phone-number';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ChallengesService } from '../verification/challenges/challenges.service';
import { ProfileNotices } from './profile-notices';
import { PhoneInputDto } from './profile.dto';

/**
 * A new phone number replaces the current one at once and is saved unverified, so until it is
 * verified security codes go by email (the previous number, verified or not, is no longer used);
 * pending verifications of the old number are voided. The user is told by email.
 */
@Injectable()
export class PhoneChange {
  constructor(
    private readonly users: UsersService,
    private readonly challenges: ChallengesService,
    private readonly smsLimits: SmsLimitsService,
    private readonly notices: ProfileNotices,
  ) {}

  /** The number normalised to E.164; 400 for a number that is not real, or that SMS cannot reach. */
  acceptable(input: PhoneInputDto): NormalizedPhone {
    const phone = normalizePhone(input.countryCode, input.number);
    if (!phone) {
      throw ApiError.validation([
        {
          field: 'phone.number',
          message: 'number is not a valid phone number for this country code',
        },
      ]);
    }
    // A number that could never receive a code (SMS_ALLOWED_COUNTRIES) is refused up front.
    this.smsLimits.assertCountryAllowed(phone.e164, 'phone');
    return phone;
  }

  changes(user: User, phone: NormalizedPhone | null): boolean {
    return phone === null ? user.phoneE164 !== null : phone.e164 !== user.phoneE164;
  }

  async apply(
    tx: Tx,
    user: User,
    phone: NormalizedPhone | null,
    client: ClientInfo,
  ): Promise<void> {
    await this.users.replacePhone(tx, user.id, phone);
    // A code sent to the previous number must not verify the new one.
    await this.challenges.voidForUser(tx, user.id, 'phone');
    await this.notices.phoneChanged(tx, user, phone, client);
  }
}
