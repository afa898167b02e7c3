import { Injectable } from '@nestjs/common';
import { Tx } from '../../database/database.service';
import { DevicesService } from '../../devices/devices.service';
import { ChallengesService } from '../../verification/challenges/challenges.service';
import { EnrollmentsService } from '../../verification/enrollments/enrollments.service';
import { SessionsService } from './sessions.service';

/**
 * Ending what lets a user in, in the caller's unit of work: sessions, trusted devices (a device's
 * sessions end with its trust), pending challenges and pending factor enrollments. One place for every use case that does it
 * (deactivation, password change and reset, logout, device removal).
 */
@Injectable()
export class CredentialsRevocation {
  constructor(
    private readonly sessions: SessionsService,
    private readonly devices: DevicesService,
    private readonly challenges: ChallengesService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  /** Every session, every trusted device and every pending challenge of the user. */
  async endEverything(tx: Tx, userId: string): Promise<void> {
    await this.sessions.revokeAllForUser(tx, userId);
    await this.devices.revokeAllForUser(tx, userId);
    await this.challenges.voidForUser(tx, userId);
    await this.enrollments.voidForUser(tx, userId);
  }

  /**
   * A new password: every other session and every trusted device end, and logins waiting for
   * their code cannot be finished; the session making the change stays (without its device).
   */
  async endAllBut(tx: Tx, userId: string, sessionId: string): Promise<void> {
    await this.sessions.revokeAllForUser(tx, userId, sessionId);
    await this.sessions.detachFromDevice(tx, sessionId);
    await this.devices.revokeAllForUser(tx, userId);
    await this.challenges.voidForUser(tx, userId, 'login');
    await this.enrollments.voidForUser(tx, userId);
  }

  /** One device's trust and the sessions created on it; false when it is not the user's. */
  async endDevice(tx: Tx, userId: string, deviceId: string): Promise<boolean> {
    if (!(await this.devices.revoke(tx, userId, deviceId))) return false;
    await this.sessions.revokeForDevice(tx, deviceId);
    return true;
  }
}
