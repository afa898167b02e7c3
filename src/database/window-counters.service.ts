import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Database, Tx } from './database.service';
import { ThrottleCounter } from './throttle-counter.entity';

export interface WindowCount {
  count: number;
  windowStart: Date;
}

/**
 * Fixed-window counters in the database (login failures, SMS caps, reset emails), shared by
 * every instance. A hit is one atomic upsert: a window that has run out starts over at 1.
 */
@Injectable()
export class WindowCounters {
  constructor(private readonly db: Database) {}

  async hit(tx: Tx, key: string, windowMs: number): Promise<WindowCount> {
    const now = new Date();
    const rows = await this.db.returning<{ count: number; window_start: Date | string }>(
      tx,
      `INSERT INTO throttle_counters (key, window_start, count) VALUES (:key, :now, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN throttle_counters.window_start <= :cutoff THEN 1 ELSE throttle_counters.count + 1 END,
         window_start = CASE WHEN throttle_counters.window_start <= :cutoff THEN :now ELSE throttle_counters.window_start END
       RETURNING count, window_start`,
      { key, now, cutoff: new Date(now.getTime() - windowMs) },
    );
    const start = rows[0]?.window_start;
    // SQLite hands back the stored UTC text; PostgreSQL a Date.
    const windowStart =
      start instanceof Date ? start : new Date(`${String(start).replace(' ', 'T')}Z`);
    return {
      count: Number(rows[0]?.count ?? 0),
      windowStart: Number.isNaN(windowStart.getTime()) ? now : windowStart,
    };
  }

  /** The counts of these keys whose window has not run out. */
  async current(keys: string[], windowMs: number): Promise<Map<string, WindowCount>> {
    const rows = await this.db.manager.findBy(ThrottleCounter, { key: In(keys) });
    const now = Date.now();
    return new Map(
      rows
        .filter((row) => row.windowStart.getTime() + windowMs > now)
        .map((row) => [row.key, { count: row.count, windowStart: row.windowStart }]),
    );
  }

  async clear(key: string): Promise<void> {
    await this.db.manager.delete(ThrottleCounter, { key });
  }
}
