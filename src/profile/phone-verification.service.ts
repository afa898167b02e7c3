import { Injectable } from '@nestjs/common';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ChallengeDto } from '../verification/challenges/challenge.dto';
import { PhoneCodeCheck } from '../verification/phone/phone-code-check.service';
import { PhoneCodes } from '../verification/phone/phone-codes.service';
import { UserViews } from '../verification/factors/user-views.service';
import { ConfirmPhoneVerificationDto } from './profile.dto';

/**
 * "Verify my phone number": the current password, then a code by SMS to that number, then the
 * code (verification does the sending and checking).
 */
@Injectable()
export class PhoneVerificationFlow {
  constructor(
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly codes: PhoneCodes,
    private readonly check: PhoneCodeCheck,
    private readonly views: UserViews,
  ) {}

  async start(
    userId: string,
    password: string | undefined,
    client: ClientInfo,
  ): Promise<ChallengeDto> {
    const user = await this.load(userId);
    return this.codes.start(user, client, () => this.reauth.confirm(user, password, client));
  }

  async confirm(
    userId: string,
    dto: ConfirmPhoneVerificationDto,
    client: ClientInfo,
  ): Promise<UserDto> {
    await this.check.confirm(await this.load(userId), dto.challengeId, dto.code, client);
    const view = await this.views.current(userId);
    if (!view) throw ApiError.unauthenticated();
    return view;
  }

  private async load(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }
}
