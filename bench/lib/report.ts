import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BCRYPT_ROUNDS, Options, SERVICE_NODE_OPTIONS, THREADPOOL } from './settings';

export interface Row {
  measure: string;
  target: string;
  value: string;
  pass: boolean | null;
  detail: string;
}

/** Progress on stderr, with the seconds since the start. */
export function log(message: string): void {
  const t = ((performance.now() / 1000) | 0).toString().padStart(4);
  process.stderr.write(`[${t}s] ${message}\n`);
}

/** The rows of the result table, in the order the measures add them. */
export class Report {
  readonly rows: Row[] = [];

  row(measure: string, target: string, value: string, pass: boolean | null, detail: string): void {
    this.rows.push({ measure, target, value, pass, detail });
  }

  /** The table on stdout (markdown), with the run's header. */
  print(options: Options, started: Date): void {
    const cpu = cpus();
    console.log(
      `\nAccount service benchmark (${options.quick ? 'quick' : 'full'} mode), ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC` +
        `\n${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, BCRYPT_ROUNDS=${BCRYPT_ROUNDS}, ` +
        `UV_THREADPOOL_SIZE=${THREADPOOL}, ` +
        `service NODE_OPTIONS="${SERVICE_NODE_OPTIONS}", ` +
        `PostgreSQL + Redis, NODE_ENV=production, ` +
        `${options.plan.rounds} rounds, medians\n`,
    );
    console.log('| measure | target | result | pass | detail |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of this.rows) {
      const pass = r.pass === null ? '—' : r.pass ? 'yes' : 'NO';
      console.log(`| ${r.measure} | ${r.target} | ${r.value} | ${pass} | ${r.detail} |`);
    }
  }
}
