import { Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { ClientInfo } from '../../common/request-context';
import { Database, Tx } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { TrustedDevice } from '../../devices/trusted-device.entity';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { LoginProof } from '../../verification/login/factor-check';
import { LoginCodeCheck } from '../../verification/login/login-code-check.service';
import { readAuthenticationResponse } from '../../verification/webauthn/webauthn-json';
import { AccountLockout } from './account-lockout.service';
import { AuthResultDto } from './auth-result.dto';
import { VerifyDto } from './login.dto';
import { SignInService } from './sign-in.service';

/**
 * The second step of a login: the second factor is checked (verification), then the user is
 * signed in, the device trusted when asked, or the account locked after the last wrong attempt.
 */
@Injectable()
export class CodeLoginService {
  constructor(
    private readonly db: Database,
    private readonly check: LoginCodeCheck,
    private readonly signIns: SignInService,
    private readonly lockout: AccountLockout,
    private readonly devices: DevicesService,
    private readonly events: SecurityEventsService,
    private readonly metrics: MetricsService,
  ) {}

  async verify(dto: VerifyDto, client: ClientInfo): Promise<AuthResultDto> {
    const proof = proofOf(dto);
    const outcome = await this.check.check(dto.challengeId, proof, client);
    if (!outcome.passed) {
      await this.lockout.lockOut(outcome.lockOut, client);
      throw ApiError.accountDeactivated();
    }
    const { user } = outcome;
    const signIn = this.db.transaction(async (tx) => {
      await this.check.complete(tx, outcome);
      const trusted =
        dto.trustDevice !== false ? await this.trust(tx, user, dto.deviceName, client) : null;
      return this.signIns.signIn(tx, user, client, {
        method: outcome.factor.kind === 'passkey' ? 'passkey' : 'security_code',
        device: trusted?.device ?? null,
        newDeviceToken: trusted?.deviceToken,
      });
    });
    const result = await signIn.catch(async (error: unknown) => {
      await this.check.abandon(outcome, error);
      throw error;
    });
    this.metrics.recordLogin('code_ok');
    return result;
  }

  private async trust(
    tx: Tx,
    user: User,
    name: string | undefined,
    client: ClientInfo,
  ): Promise<{ device: TrustedDevice; deviceToken: string }> {
    const trusted = await this.devices.trust(tx, user.id, name, client);
    await this.events.record(tx, user.id, 'device_trusted', client, {
      deviceId: trusted.device.id,
    });
    return trusted;
  }
}

/** The one proof the body carries (the DTO makes sure there is exactly one). */
function proofOf(dto: VerifyDto): LoginProof {
  if (dto.passkey !== undefined) return { passkey: readAuthenticationResponse(dto.passkey)! };
  if (dto.recoveryCode !== undefined) return { recoveryCode: dto.recoveryCode };
  return { code: dto.code! };
}
