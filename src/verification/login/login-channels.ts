import { Injectable } from '@nestjs/common';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { User } from '../../users/user.entity';
import { Channel } from '../challenges/challenge.entity';

/** Which channels a user's login codes may take. */
@Injectable()
export class LoginChannels {
  constructor(private readonly smsLimits: SmsLimitsService) {}

  hasVerifiedPhone(user: User): boolean {
    return !!user.phoneE164 && user.phoneVerified;
  }

  /** SMS needs a verified phone in an allowed country (SMS_ALLOWED_COUNTRIES); otherwise email. */
  smsAvailable(user: User): boolean {
    return this.hasVerifiedPhone(user) && this.smsLimits.isCountryAllowed(user.phoneE164!);
  }

  available(user: User): Channel[] {
    return this.smsAvailable(user) ? ['sms', 'email'] : ['email'];
  }

  /** The channel a new login challenge starts on. */
  preferred(user: User): Channel {
    return this.smsAvailable(user) ? 'sms' : 'email';
  }
}
