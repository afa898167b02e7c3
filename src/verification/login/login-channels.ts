import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { SmsLimitsService } from '../../notifications/sms-limits.service';
import { FactorSummary } from '../../users/user.dto';
import { User } from '../../users/user.entity';
import { Channel } from '../challenges/challenge.entity';
import { FactorSummaries } from '../factors/factor-summaries.service';

/**
 * Which channels a user's login may use, strongest first: passkey, authenticator app, SMS to a
 * verified phone (in an allowed country), email. Email only for users without a strong factor:
 * a mailbox must not bypass a stronger factor.
 */
@Injectable()
export class LoginChannels {
  constructor(private readonly smsLimits: SmsLimitsService) {}

  hasVerifiedPhone(user: User): boolean {
    return !!user.phoneE164 && user.phoneVerified;
  }

  /** SMS needs a verified phone in an allowed country (SMS_ALLOWED_COUNTRIES). */
  smsAvailable(user: User): boolean {
    return this.hasVerifiedPhone(user) && this.smsLimits.isCountryAllowed(user.phoneE164!);
  }

  available(user: User, factors: FactorSummary): Channel[] {
    const channels: Channel[] = [];
    if (factors.passkeys > 0) channels.push('passkey');
    if (factors.authenticator) channels.push('authenticator');
    if (this.smsAvailable(user)) channels.push('sms');
    if (!FactorSummaries.hasStrongFactor(factors)) channels.push('email');
    return channels;
  }

  /** `wanted` when it is available, else the strongest available channel. */
  choose(user: User, factors: FactorSummary, wanted?: Channel): Channel {
    const available = this.available(user, factors);
    return wanted && available.includes(wanted) ? wanted : available[0];
  }

  /** The channel a resend goes to: `wanted` (400 when it is not available), else the current one if it still is. */
  forResend(user: User, factors: FactorSummary, current: Channel, wanted?: Channel): Channel {
    const available = this.available(user, factors);
    // A verified phone in a country SMS may not go to: that is the answer, not "no phone".
    if (wanted === 'sms' && this.hasVerifiedPhone(user))
      this.smsLimits.assertCountryAllowed(user.phoneE164!);
    if (wanted && !available.includes(wanted)) throw channelUnavailable(wanted);
    if (wanted) return wanted;
    return available.includes(current) ? current : available[0];
  }
}

function channelUnavailable(channel: Channel): ApiError {
  const why: Record<Channel, string> = {
    sms: 'SMS needs a verified phone number.',
    email: 'Email is not available once an authenticator app or a passkey is set up.',
    authenticator: 'No authenticator app is set up.',
    passkey: 'No passkey is registered.',
  };
  return new ApiError(HttpStatus.BAD_REQUEST, 'channel_unavailable', why[channel]);
}
