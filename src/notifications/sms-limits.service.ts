import { HttpStatus, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config.service';
import { Database } from '../database/database.service';
import { WindowCounters } from '../database/window-counters.service';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * SMS cost protection (SMS pumping): a country allow-list checked before any provider call, and
 * per-number, per-account and global caps counted atomically in the database, so they hold
 * across instances.
 */
@Injectable()
export class SmsLimitsService {
  constructor(
    private readonly counters: WindowCounters,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  /** The ISO country of an E.164 number, or null when it cannot be told. */
  countryOf(e164: string): string | null {
    return parsePhoneNumberFromString(e164)?.country ?? null;
  }

  isCountryAllowed(e164: string): boolean {
    const allowed = this.config.sms.allowedCountries;
    if (allowed.length === 0) return true;
    const country = this.countryOf(e164);
    return country !== null && allowed.includes(country);
  }

  assertCountryAllowed(e164: string, field = 'phone'): void {
    if (!this.isCountryAllowed(e164)) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'sms_country_not_allowed',
        'Security codes cannot be sent by SMS to numbers of this country.',
        {
          errors: [
            {
              field,
              message: `SMS is available for ${this.config.sms.allowedCountries.join(', ')}`,
            },
          ],
        },
      );
    }
  }

  /** Counts one SMS against every cap; 429 when one of them is used up. */
  async reserve(e164: string, accountId: string): Promise<void> {
    const { maxPerNumberPerHour, maxPerAccountPerHour, maxPerDay } = this.config.sms;
    const checks: [string, number, number][] = [
      [`sms:number:${e164}`, HOUR, maxPerNumberPerHour],
      [`sms:account:${accountId}`, HOUR, maxPerAccountPerHour],
      ['sms:all', DAY, maxPerDay],
    ];
    for (const [key, windowMs, cap] of checks) {
      const { count, windowStart } = await this.counters.hit(this.db.manager, key, windowMs);
      if (count > cap) {
        throw ApiError.tooManyRequests(
          (windowStart.getTime() + windowMs - Date.now()) / 1000,
          'Too many text messages. Try again later or use email.',
        );
      }
    }
  }
}
