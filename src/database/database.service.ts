import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, QueryResult } from 'typeorm';

/**
 * The unit of work every writing method takes as its FIRST parameter: a transaction's
 * EntityManager, or `Database.manager` for a statement on its own. One convention everywhere:
 * `method(tx, …)`.
 */
export type Tx = EntityManager;

/**
 * Transactions and the few hand-written atomic statements, the same on PostgreSQL and SQLite.
 * SQLite has one connection per process, so its transactions are run one after another.
 */
@Injectable()
export class Database {
  private readonly serial: boolean;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly afterCommitCallbacks = new WeakMap<Tx, (() => void)[]>();

  constructor(readonly dataSource: DataSource) {
    this.serial = dataSource.options.type !== 'postgres';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isPostgres(): boolean {
    return !this.serial;
  }

  /**
   * Runs `work` in one transaction. What was registered with `afterCommit` on its unit of work
   * runs once it has committed (never when it rolls back).
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const pending: (() => void)[] = [];
    const tracked = (tx: Tx): Promise<T> => {
      this.afterCommitCallbacks.set(tx, pending);
      return work(tx).finally(() => this.afterCommitCallbacks.delete(tx));
    };
    let result: T;
    if (!this.serial) result = await this.dataSource.transaction(tracked);
    else {
      const run = this.tail.then(() => this.dataSource.transaction(tracked));
      this.tail = run.catch(() => undefined);
      result = await run;
    }
    for (const callback of pending) callback();
    return result;
  }

  /**
   * Runs `callback` once `tx` has committed: at once when `tx` is no transaction of `transaction`
   * (a statement on its own has committed already).
   */
  afterCommit(tx: Tx, callback: () => void): void {
    const pending = this.afterCommitCallbacks.get(tx);
    if (pending) pending.push(callback);
    else callback();
  }

  /**
   * Runs one statement with `:name` parameters and returns the rows of its RETURNING clause
   * (both engines support `UPDATE … RETURNING` and `INSERT … ON CONFLICT … RETURNING`).
   */
  async returning<T extends ObjectLiteral>(
    tx: Tx,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<T[]> {
    const result = await this.run(tx, sql, parameters);
    return (result.records ?? []) as T[];
  }

  /** Runs one statement with `:name` parameters and returns the number of rows it changed. */
  async execute(tx: Tx, sql: string, parameters: Record<string, unknown>): Promise<number> {
    const result = await this.run(tx, sql, parameters);
    return result.affected ?? 0;
  }

  private async run(
    tx: Tx,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<QueryResult> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters, {});
    const runner = tx.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      return await runner.query(query, values, true);
    } finally {
      if (!tx.queryRunner) await runner.release();
    }
  }
}
