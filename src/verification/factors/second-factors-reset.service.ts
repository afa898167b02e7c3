import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { User } from '../../users/user.entity';
import { AuthenticatorsService } from '../authenticator/authenticators.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { PasskeysService } from '../passkeys/passkeys.service';
import { RecoveryCodesService } from '../recovery/recovery-codes.service';
import { FactorNotices } from './factor-notices';

/**
 * An administrator's reset of a user who lost every strong factor: the authenticator app, the
 * passkeys, the recovery codes and pending enrollments go, in the caller's unit of work.
 */
@Injectable()
export class SecondFactorsReset {
  constructor(
    private readonly authenticators: AuthenticatorsService,
    private readonly passkeys: PasskeysService,
    private readonly recovery: RecoveryCodesService,
    private readonly enrollments: EnrollmentsService,
    private readonly notices: FactorNotices,
  ) {}

  async reset(tx: Tx, user: User, client: ClientInfo, adminId: string): Promise<void> {
    await this.authenticators.remove(tx, user.id);
    await this.passkeys.removeAll(tx, user.id);
    await this.recovery.voidAll(tx, user.id);
    await this.enrollments.voidForUser(tx, user.id);
    await this.notices.record(
      tx,
      user,
      { event: 'second_factors_reset', template: 'second_factors_reset' },
      client,
      { adminId },
    );
  }
}
