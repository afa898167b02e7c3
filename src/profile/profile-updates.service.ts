import { HttpStatus, Injectable } from '@nestjs/common';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { SmsLimitsService } from '../notifications/sms-limits.service';
import { AccountsService } from '../users/accounts.service';
import { NormalizedPhone, normalizePhone } from '../users/phone-number';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ChallengesService } from '../verification/challenges/challenges.service';
import { ProfileNotices } from './profile-notices';
import { PhoneInputDto, UpdateProfileDto } from './profile.dto';

/**
 * PATCH /me: name, locale, the two-factor switch and the phone number. One security change per
 * request (the name and the locale need no password and combine with anything). A new locale
 * holds for the notices of the same request.
 * Phone rule: a new number replaces the current one at once and is saved unverified, so until it
 * is verified security codes go by email (the previous number, verified or not, is no longer
 * used); pending verifications of the old number are voided.
 */
@Injectable()
export class ProfileUpdates {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly reauth: ReauthenticationService,
    private readonly challenges: ChallengesService,
    private readonly smsLimits: SmsLimitsService,
    private readonly notices: ProfileNotices,
  ) {}

  async update(userId: string, dto: UpdateProfileDto, client: ClientInfo): Promise<UserDto> {
    if (dto.twoFactorEnabled !== undefined && dto.phone !== undefined) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'one_change_at_a_time',
        'Change two-factor authentication and the phone number in separate requests.',
      );
    }
    const user = await this.load(userId);
    const phone = dto.phone ? this.acceptablePhone(dto.phone) : dto.phone;
    const twoFactor =
      dto.twoFactorEnabled !== user.twoFactorEnabled ? dto.twoFactorEnabled : undefined;
    if (twoFactor === false && (await this.accounts.requiresTwoFactor(user.accountId))) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'two_factor_required_by_account',
        'Your account requires two-factor authentication.',
      );
    }
    if (twoFactor !== undefined) await this.reauth.confirm(user, dto.password, client);
    const phoneChanged =
      phone !== undefined &&
      (phone === null ? user.phoneE164 !== null : phone.e164 !== user.phoneE164);
    await this.db.transaction(async (tx) => {
      if (dto.name !== undefined && dto.name !== user.name)
        await this.users.rename(tx, user.id, dto.name);
      if (dto.locale !== undefined && (await this.users.setLocale(tx, user.id, dto.locale))) {
        await this.notices.localeChanged(tx, user, dto.locale, client);
        user.locale = dto.locale;
      }
      if (twoFactor !== undefined) {
        await this.users.setTwoFactor(tx, user.id, twoFactor);
        await this.notices.twoFactorChanged(tx, user, twoFactor, client);
      }
      if (phoneChanged) {
        await this.users.replacePhone(tx, user.id, phone);
        // A code sent to the previous number must not verify the new one.
        await this.challenges.voidForUser(tx, user.id, 'phone');
        await this.notices.phoneChanged(tx, user, phone, client);
      }
    });
    return UserDto.from(await this.load(user.id));
  }

  private async load(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }

  private acceptablePhone(input: PhoneInputDto): NormalizedPhone {
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
}
