/**
 * Load benchmarks of the account service against the physical limits of this machine, with the
 * service on PostgreSQL and on SQLite. `npm run bench` (full) or `npm run bench -- --quick` (a
 * few minutes); `--only=login,me,...`, `--engines=postgres,sqlite`. See bench/README.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, openRun, setUp, tearDown } from './lib/context';
import { ROOT } from './lib/processes';
import { Report } from './lib/report';
import { MeasureName, parseOptions, wanted } from './lib/settings';
import { measureDelivery } from './measures/delivery';
import { measureGrowth } from './measures/growth';
import { measureLogin } from './measures/login';
import { measureMe } from './measures/me';
import { measureMemory } from './measures/memory';
import { measureTiming } from './measures/timing';

/** The measures in the order they run. */
const MEASURES: [MeasureName, (ctx: BenchContext) => Promise<void>][] = [
  ['login', measureLogin],
  ['me', measureMe],
  ['timing', measureTiming],
  ['growth', measureGrowth],
  ['delivery', measureDelivery],
  ['memory', measureMemory],
];

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/main.js is missing: build first (npm run bench builds it).');
  }
  const started = new Date();
  const report = new Report();
  const run = await openRun(options);
  try {
    const ctx = await setUp(run, options, report);
    for (const [name, measure] of MEASURES) {
      if (wanted(options, name)) await measure(ctx);
    }
    report.print(options, started);
  } finally {
    await tearDown(run);
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
