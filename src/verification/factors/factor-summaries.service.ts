import { Injectable } from '@nestjs/common';
import { Database, Tx } from '../../database/database.service';
import { FactorSummary } from '../../users/user.dto';

/** A user without second factors beyond SMS and email. */
export const NO_FACTORS: Readonly<FactorSummary> = Object.freeze({
  authenticator: false,
  passkeys: 0,
  recoveryCodesLeft: 0,
});

interface SummaryRow {
  user_id: string;
  authenticator: number | string;
  passkeys: number | string;
  recovery: number | string;
}

/**
 * What second factors users have, as User.factors shows it: one query for any number of users,
 * read in the caller's unit of work (so that it sees the unit's own changes).
 */
@Injectable()
export class FactorSummaries {
  constructor(private readonly db: Database) {}

  /** The user's second factors as committed now. */
  current(userId: string): Promise<FactorSummary> {
    return this.of(this.db.manager, userId);
  }

  async of(tx: Tx, userId: string): Promise<FactorSummary> {
    return (await this.ofMany(tx, [userId])).get(userId) ?? NO_FACTORS;
  }

  async ofMany(tx: Tx, userIds: string[]): Promise<Map<string, FactorSummary>> {
    const summaries = new Map<string, FactorSummary>();
    if (userIds.length === 0) return summaries;
    const [sql, values] = tx.connection.driver.escapeQueryWithParameters(
      `SELECT ids.user_id,
              (SELECT COUNT(*) FROM authenticators a WHERE a.user_id = ids.user_id) AS authenticator,
              (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = ids.user_id) AS passkeys,
              (SELECT COUNT(*) FROM recovery_codes r
                WHERE r.user_id = ids.user_id AND r.used_at IS NULL) AS recovery
         FROM (SELECT DISTINCT user_id FROM authenticators WHERE user_id IN (:...ids)
               UNION SELECT DISTINCT user_id FROM passkeys WHERE user_id IN (:...ids)
               UNION SELECT DISTINCT user_id FROM recovery_codes WHERE user_id IN (:...ids)) ids`,
      { ids: userIds },
      {},
    );
    for (const row of (await tx.query(sql, values)) as SummaryRow[]) {
      summaries.set(row.user_id, {
        authenticator: Number(row.authenticator) > 0,
        passkeys: Number(row.passkeys),
        recoveryCodesLeft: Number(row.recovery),
      });
    }
    for (const id of userIds) if (!summaries.has(id)) summaries.set(id, NO_FACTORS);
    return summaries;
  }

  /** Whether the user has an authenticator app or a passkey. */
  static hasStrongFactor(summary: FactorSummary): boolean {
    return summary.authenticator || summary.passkeys > 0;
  }
}
