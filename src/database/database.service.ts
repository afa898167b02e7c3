import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, QueryResult } from 'typeorm';

/**
 * Transactions and the few hand-written atomic statements, the same on PostgreSQL and SQLite.
 * SQLite has one connection per process, so its transactions are run one after another.
 */
@Injectable()
export class Database {
  private readonly serial: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.serial = dataSource.options.type !== 'postgres';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isPostgres(): boolean {
    return !this.serial;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serial) return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs one statement with `:name` parameters and returns the rows of its RETURNING clause
   * (both engines support `UPDATE … RETURNING` and `INSERT … ON CONFLICT … RETURNING`).
   */
  async returning<T extends ObjectLiteral>(
    manager: EntityManager,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<T[]> {
    const result = await this.run(manager, sql, parameters);
    return (result.records ?? []) as T[];
  }

  /** Runs one statement with `:name` parameters and returns the number of rows it changed. */
  async execute(
    manager: EntityManager,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<number> {
    const result = await this.run(manager, sql, parameters);
    return result.affected ?? 0;
  }

  private async run(
    manager: EntityManager,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<QueryResult> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters, {});
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      return await runner.query(query, values, true);
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }
}
