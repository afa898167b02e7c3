import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { Database, Tx } from '../../database/database.service';
import { FactorEnrollment, FactorKind } from './factor-enrollment.entity';

export interface NewEnrollment {
  userId: string;
  sessionId: string;
  kind: FactorKind;
  ttlMs: number;
  /** What the finishing step needs, made from the enrollment's id (e.g. a sealed secret). */
  secret: (id: string) => string;
}

/** The only writer of `factor_enrollments`: pending enrollments of strong factors. */
@Injectable()
export class EnrollmentsService {
  constructor(
    @InjectRepository(FactorEnrollment) private readonly enrollments: Repository<FactorEnrollment>,
    private readonly db: Database,
  ) {}

  /** A new pending enrollment; the user's older ones of the same kind end. */
  async open(tx: Tx, input: NewEnrollment): Promise<FactorEnrollment> {
    await this.voidForUser(tx, input.userId, input.kind);
    const id = randomUUID();
    const enrollment = tx.create(FactorEnrollment, {
      id,
      userId: input.userId,
      sessionId: input.sessionId,
      kind: input.kind,
      secret: input.secret(id),
      attempts: 0,
      expiresAt: new Date(Date.now() + input.ttlMs),
      closedAt: null,
    });
    await tx.insert(FactorEnrollment, enrollment);
    return enrollment;
  }

  /** The open, unexpired enrollment of that kind started by this session, if any. */
  findPending(
    userId: string,
    sessionId: string,
    kind: FactorKind,
  ): Promise<FactorEnrollment | null> {
    return this.enrollments.findOne({
      where: { userId, sessionId, kind, closedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  /** One more attempt, counted before the answer is looked at; null when none is left. */
  async reserveAttempt(tx: Tx, id: string, max: number): Promise<number | null> {
    const rows = await this.db.returning<{ attempts: number }>(
      tx,
      `UPDATE factor_enrollments SET attempts = attempts + 1
        WHERE id = :id AND closed_at IS NULL AND attempts < :max
        RETURNING attempts`,
      { id, max },
    );
    return rows.length ? Number(rows[0].attempts) : null;
  }

  /** Ends the enrollment; true only for the one caller that ended it. */
  async close(tx: Tx, id: string): Promise<boolean> {
    const result = await tx.update(
      FactorEnrollment,
      { id, closedAt: IsNull() },
      { closedAt: new Date() },
    );
    return result.affected === 1;
  }

  async voidForUser(tx: Tx, userId: string, kind?: FactorKind): Promise<void> {
    await tx.update(
      FactorEnrollment,
      kind ? { userId, kind, closedAt: IsNull() } : { userId, closedAt: IsNull() },
      { closedAt: new Date() },
    );
  }
}
