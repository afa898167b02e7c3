import { Injectable } from '@nestjs/common';
import { ClientInfo } from '../../common/request-context';
import { AppConfig } from '../../config/app-config.service';
import { Tx } from '../../database/database.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { EventDetails, SecurityEventsService } from '../../users/events/security-events.service';
import { User } from '../../users/user.entity';
import { Challenge, ChallengePurpose, SentChannel } from '../challenges/challenge.entity';
import { ChallengesService, ResendRefusal } from '../challenges/challenges.service';
import { SecurityCodes } from './security-codes';

const TEMPLATES = { login: 'login_code', phone: 'phone_code' } as const;

/** A code on its way: the challenge and the outbox message to dispatch after commit. */
export interface IssuedCode {
  challenge: Challenge;
  messageId: string;
}

/**
 * "Send a security code", in one place: the challenge (with the code's HMAC only), the message
 * in the outbox (encrypted), the link between them, and the `code_sent` event, all in the
 * caller's unit of work. The code itself exists only in this call and in the sealed message.
 */
@Injectable()
export class CodeIssuer {
  constructor(
    private readonly challenges: ChallengesService,
    private readonly codes: SecurityCodes,
    private readonly notifications: NotificationsService,
    private readonly events: SecurityEventsService,
    private readonly config: AppConfig,
  ) {}

  /** Where a code on this channel goes: the phone (E.164) for SMS, else the email address. */
  destination(user: User, channel: SentChannel): string {
    return channel === 'sms' ? user.phoneE164! : user.email;
  }

  /**
   * A new challenge with a fresh code; the user's older open ones of that purpose are void. With
   * `webauthn`, a passkey may answer it too (it gets a WebAuthn challenge).
   */
  async issue(
    tx: Tx,
    user: User,
    purpose: ChallengePurpose,
    channel: SentChannel,
    client: ClientInfo,
    webauthn = false,
  ): Promise<IssuedCode> {
    const code = this.codes.newCode();
    const destination = this.destination(user, channel);
    const challenge = await this.challenges.open(
      tx,
      { userId: user.id, purpose, channel, destination, client, webauthn },
      (id) => this.codes.hmac(id, code),
    );
    return { challenge, messageId: await this.send(tx, user, challenge, code, client) };
  }

  /** A fresh code for an open challenge, possibly on another channel; or why not. */
  async reissue(
    tx: Tx,
    user: User,
    challengeId: string,
    channel: SentChannel,
    client: ClientInfo,
    webauthn = false,
  ): Promise<IssuedCode | ResendRefusal | null> {
    const code = this.codes.newCode();
    const reissued = {
      channel,
      destination: this.destination(user, channel),
      codeHmac: this.codes.hmac(challengeId, code),
    };
    const outcome = await this.challenges.reissue(tx, challengeId, reissued, webauthn);
    if (!outcome || 'reason' in outcome) return outcome;
    return { challenge: outcome, messageId: await this.send(tx, user, outcome, code, client) };
  }

  private async send(
    tx: Tx,
    user: User,
    challenge: Challenge,
    code: string,
    client: ClientInfo,
  ): Promise<string> {
    const channel = challenge.channel as SentChannel;
    const messageId = await this.notifications.write(tx, {
      channel,
      to: this.destination(user, channel),
      userId: user.id,
      accountId: user.accountId,
      locale: user.locale,
      template: TEMPLATES[challenge.purpose],
      variables: { code, minutes: Math.round(this.config.codes.ttlMs / 60_000) || 1 },
    });
    await this.challenges.attachMessage(tx, challenge.id, messageId);
    challenge.messageId = messageId;
    const details: EventDetails = { channel: challenge.channel };
    if (challenge.purpose !== 'login') details.purpose = challenge.purpose;
    await this.events.record(tx, user.id, 'code_sent', client, details);
    return messageId;
  }
}
