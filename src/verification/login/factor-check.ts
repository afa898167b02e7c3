import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ClientInfo } from '../../common/request-context';
import { Tx } from '../../database/database.service';
import { User } from '../../users/user.entity';
import { AuthenticatorsService } from '../authenticator/authenticators.service';
import { Challenge, isSentChannel } from '../challenges/challenge.entity';
import { ChallengesService } from '../challenges/challenges.service';
import { SecurityCodes } from '../codes/security-codes';
import { FactorNotices } from '../factors/factor-notices';
import { PasskeyAssertions } from '../passkeys/passkey-assertions.service';
import { PasskeyUse } from '../passkeys/passkeys.service';
import { RecoveryCodesService } from '../recovery/recovery-codes.service';

/** What a login's second step submits (exactly one of them). */
export type LoginProof =
  { code: string } | { recoveryCode: string } | { passkey: AuthenticationResponseJSON };

/** A proof that matched: what is left to do once the challenge is closed. */
export type MatchedFactor =
  | { kind: 'code' }
  | { kind: 'authenticator'; step: number }
  | { kind: 'recovery'; codeId: string }
  | { kind: 'passkey'; use: PasskeyUse };

/**
 * Checks one proof against what the user has: the code sent last (SMS, email), the authenticator
 * app's code of a time step later than the last accepted one, an unused recovery code, or a
 * passkey's assertion. A matched factor is used only in `use`, in the sign-in's unit of work, by
 * one caller only.
 */
@Injectable()
export class FactorCheck {
  constructor(
    private readonly challenges: ChallengesService,
    private readonly codes: SecurityCodes,
    private readonly authenticators: AuthenticatorsService,
    private readonly recovery: RecoveryCodesService,
    private readonly notices: FactorNotices,
    private readonly passkeys: PasskeyAssertions,
  ) {}

  /** A passkey's assertion; 400 passkey_rejected when it fails (not a wrong code: not counted). */
  async passkey(
    challenge: Challenge,
    user: User,
    response: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<MatchedFactor> {
    return { kind: 'passkey', use: await this.passkeys.check(challenge, user, response, client) };
  }

  /** A code or recovery code; null when it is wrong. */
  async match(
    challenge: Challenge,
    user: User,
    proof: Exclude<LoginProof, { passkey: unknown }>,
  ): Promise<MatchedFactor | null> {
    if ('recoveryCode' in proof) {
      const found = await this.recovery.findUnused(user.id, proof.recoveryCode);
      return found ? { kind: 'recovery', codeId: found.id } : null;
    }
    if (challenge.channel === 'authenticator') {
      const authenticator = await this.authenticators.find(user.id);
      const step = authenticator ? this.authenticators.match(authenticator, proof.code) : null;
      // RFC 6238 §5.2: a code of a step already used (or older) never works again.
      return step !== null && step > authenticator!.lastStep
        ? { kind: 'authenticator', step }
        : null;
    }
    if (!isSentChannel(challenge.channel)) return null;
    const codeHmac = await this.challenges.currentCodeHmac(challenge.id);
    return codeHmac && this.codes.matches(challenge.id, codeHmac, proof.code)
      ? { kind: 'code' }
      : null;
  }

  /** Uses the matched factor; false when another request used it first. */
  async use(tx: Tx, user: User, factor: MatchedFactor): Promise<boolean> {
    if (factor.kind === 'passkey') return this.passkeys.use(tx, factor.use);
    if (factor.kind === 'authenticator')
      return this.authenticators.acceptStep(tx, user.id, factor.step);
    if (factor.kind !== 'recovery') return true;
    if (!(await this.recovery.use(tx, factor.codeId))) return false;
    const left = await this.recovery.countLeft(tx, user.id);
    await this.notices.record(
      tx,
      user,
      { event: 'recovery_code_used', template: 'recovery_code_used', left },
      null,
      { left },
    );
    return true;
  }
}
