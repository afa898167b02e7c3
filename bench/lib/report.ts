import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  BCRYPT_ROUNDS,
  ENGINE_LABELS,
  EngineId,
  Options,
  SERVICE_ADAPTER,
  SERVICE_NODE_OPTIONS,
  THREADPOOL,
} from './settings';
import { fmt, median, roundList } from './stats';

export interface Row {
  measure: string;
  engine: string;
  target: string;
  value: string;
  spread: string;
  pass: boolean | null;
  detail: string;
}

export interface RowSpec {
  measure: string;
  /** The engine's label, or `SQLite ÷ PostgreSQL`, or `—` for neither. */
  engine: string;
  target: string;
  /** One value per round (or part of the run); the result is their median unless `value` is given. */
  rounds: number[];
  value?: number;
  /** The target's test; none: a reported figure. */
  pass?: (value: number) => boolean;
  digits?: number;
  /** Appended to the result and the spread, e.g. ` ms`. */
  unit?: string;
  detail: string;
}

/** Progress on stderr, with the seconds since the start. */
export function log(message: string): void {
  const t = ((performance.now() / 1000) | 0).toString().padStart(4);
  process.stderr.write(`[${t}s] ${message}\n`);
}

const loadAverage = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** The rows of the result table, in the order the measures add them. */
export class Report {
  readonly rows: Row[] = [];
  private readonly loadAtStart = loadAverage();

  /** A row: the median of the rounds (or `value`) and the min–max of the rounds. */
  add(spec: RowSpec): void {
    const digits = spec.digits ?? 2;
    const unit = spec.unit ?? '';
    const value = spec.value ?? median(spec.rounds);
    const spread =
      spec.rounds.length > 1
        ? `${fmt(Math.min(...spec.rounds), digits)}–${fmt(Math.max(...spec.rounds), digits)}${unit}`
        : '—';
    this.rows.push({
      measure: spec.measure,
      engine: spec.engine,
      target: spec.target,
      value: `${fmt(value, digits)}${unit}`,
      spread,
      pass: spec.pass ? spec.pass(value) : null,
      detail: spec.detail,
    });
  }

  /**
   * The SQLite ÷ PostgreSQL row of a quantity taken on both engines in the same rounds (round by
   * round); nothing when the run has one engine.
   */
  compare(measure: string, byEngine: Partial<Record<EngineId, number[]>>, detail = ''): void {
    const { postgres, sqlite } = byEngine;
    if (!postgres?.length || !sqlite?.length) return;
    const rounds = sqlite.map((x, i) => x / postgres[i]);
    this.add({
      measure: `${measure}, SQLite ÷ PostgreSQL`,
      engine: `${ENGINE_LABELS.sqlite} ÷ ${ENGINE_LABELS.postgres}`,
      target: 'reported',
      rounds,
      detail: `${detail}${detail ? '; ' : ''}${roundList(rounds)}`,
    });
  }

  /** The table on stdout (markdown), with the run's header. */
  print(options: Options, started: Date): void {
    const cpu = cpus();
    const engines = options.engines.map((id) => ENGINE_LABELS[id]).join(' + ');
    console.log(
      `\nAccount service benchmark (${options.quick ? 'quick' : 'full'} mode), ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC` +
        `\n${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, BCRYPT_ROUNDS=${BCRYPT_ROUNDS}, ` +
        `UV_THREADPOOL_SIZE=${THREADPOOL}, service adapter ${SERVICE_ADAPTER} (BENCH_SERVICE_ADAPTER), ` +
        `service NODE_OPTIONS="${SERVICE_NODE_OPTIONS}" (the memory target's instances: none), ` +
        `${engines} + Redis, NODE_ENV=production, ` +
        `${options.plan.rounds} rounds, medians; load average (1, 5, 15 min) ${this.loadAtStart} at the start, ${loadAverage()} at the end\n`,
    );
    console.log('| measure | engine | target | result | spread (min–max) | pass | detail |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of this.rows) {
      const pass = r.pass === null ? '—' : r.pass ? 'yes' : 'NO';
      console.log(
        `| ${r.measure} | ${r.engine} | ${r.target} | ${r.value} | ${r.spread} | ${pass} | ${r.detail} |`,
      );
    }
  }
}
