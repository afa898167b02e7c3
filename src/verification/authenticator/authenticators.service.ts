import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.service';
import { Database, Tx } from '../../database/database.service';
import { isUniqueViolation } from '../../users/unique-violation';
import { SecretBox, totpSecretBox } from '../totp/secret-box';
import { matchTotp } from '../totp/totp';
import { Authenticator } from './authenticator.entity';

/**
 * The only writer of `authenticators`: a user's authenticator app, its sealed secret and the last
 * accepted time step. A step is accepted with one conditional UPDATE (`last_step < :step`), so of
 * parallel submissions of one code exactly one is accepted.
 */
@Injectable()
export class AuthenticatorsService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(Authenticator) private readonly authenticators: Repository<Authenticator>,
    private readonly db: Database,
    config: AppConfig,
  ) {
    this.box = totpSecretBox(config.secret);
  }

  find(userId: string): Promise<Authenticator | null> {
    return this.authenticators.findOneBy({ userId });
  }

  /** The time step of `code` for the user's authenticator (±1 step of now), or null. */
  match(authenticator: Authenticator, code: string): number | null {
    return matchTotp(this.box.open(authenticator.secretSealed, authenticator.id), code, Date.now());
  }

  /** Adds the user's authenticator with `step` already used; false when they have one. */
  async add(tx: Tx, userId: string, secret: string, step: number): Promise<boolean> {
    const id = randomUUID();
    const row = tx.create(Authenticator, {
      id,
      userId,
      secretSealed: this.box.seal(secret, id),
      lastStep: step,
    });
    try {
      await tx.insert(Authenticator, row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Uses a time step: true only when it is later than the last accepted one (and for one caller). */
  async acceptStep(tx: Tx, userId: string, step: number): Promise<boolean> {
    const changed = await this.db.execute(
      tx,
      'UPDATE authenticators SET last_step = :step WHERE user_id = :userId AND last_step < :step',
      { userId, step },
    );
    return changed === 1;
  }

  async remove(tx: Tx, userId: string): Promise<boolean> {
    const result = await tx.delete(Authenticator, { userId });
    return (result.affected ?? 0) > 0;
  }
}
