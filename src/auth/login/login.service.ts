import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Database } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { MetricsService } from '../../metrics/metrics.service';
import { AccountsService } from '../../users/accounts.service';
import { User } from '../../users/user.entity';
import { Channel } from '../../verification/challenges/challenge.entity';
import { ChallengeDto } from '../../verification/challenges/challenge.dto';
import { LoginCodes } from '../../verification/login/login-codes.service';
import { AuthResultDto } from './auth-result.dto';
import { SignInService } from './sign-in.service';

export type LoginOutcome =
  { status: 200; body: AuthResultDto } | { status: 202; body: ChallengeDto };

/**
 * The login policy after the password step: straight in (two-factor authentication off and not
 * required by the account), in on a device this user trusts, or a second factor is asked for.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
    private readonly devices: DevicesService,
    private readonly codes: LoginCodes,
    private readonly signIns: SignInService,
    private readonly metrics: MetricsService,
  ) {}

  /** `user` has given the correct password and is not deactivated. */
  async continueLogin(
    user: User,
    request: { deviceToken?: string; channel?: Channel },
    client: ClientInfo,
  ): Promise<LoginOutcome> {
    if (!(await this.needsSecondFactor(user))) {
      this.metrics.recordLogin('password_only');
      const body = await this.db.transaction((tx) =>
        this.signIns.signIn(tx, user, client, { method: 'password' }),
      );
      return { status: 200, body };
    }
    const device = await this.devices.findTrusted(user.id, request.deviceToken);
    if (device) {
      const body = await this.db.transaction(async (tx) => {
        // Sign in first: it locks the user's row before the device's, in the order a password
        // change does.
        const result = await this.signIns.signIn(tx, user, client, {
          method: 'trusted_device',
          device,
        });
        await this.devices.touch(tx, device, client);
        return result;
      });
      this.metrics.recordLogin('trusted_device');
      return { status: 200, body };
    }
    const challenge = await this.codes.start(user, client, request.channel);
    this.metrics.recordLogin('code_required');
    return { status: 202, body: challenge };
  }

  private async needsSecondFactor(user: User): Promise<boolean> {
    return user.twoFactorEnabled || (await this.accounts.requiresTwoFactor(user.accountId));
  }
}
