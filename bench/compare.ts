/**
 * Two builds of the service side by side in one run: `npm run bench:compare -- <dirA> <dirB>`
 * (each a checkout with a built dist/; A is "before", B "after"), `--quick`, `--rounds=N`,
 * `--engines=postgres,sqlite`. Each quantity is taken on A and B one right after the other,
 * round after round; the table gives B ÷ A with each side's own round-to-round spread. See
 * bench/README.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cell, CellContext, CELLS, runRounds, sampleKey, warmUp } from './lib/compare-cells';
import { Build, dropCompareDatabases, openBuild, startInstances } from './lib/compare-setup';
import { clearQueues } from './lib/context';
import { log } from './lib/report';
import { Fleet } from './lib/service';
import { parseOptions, ENGINE_LABELS, EngineId, DELIVERY_WARM_USERS } from './lib/settings';
import { BenchSmsSink, BenchSmtpSink } from './lib/sinks';
import { removeSqliteFiles } from './lib/sqlite';
import { fmt, median, Samples } from './lib/stats';

interface CompareOptions {
  quick: boolean;
  engines: EngineId[];
  rounds: number;
  dirs: [string, string];
}

function parseCompareOptions(argv: string[]): CompareOptions {
  const base = parseOptions(argv);
  const dirs = argv.slice(2).filter((arg) => !arg.startsWith('--'));
  if (dirs.length !== 2) throw new Error('usage: bench/compare.ts <dirA> <dirB> [--quick] ...');
  const roundsArg = argv.find((arg) => arg.startsWith('--rounds='));
  const rounds = roundsArg ? Number(roundsArg.slice('--rounds='.length)) : base.plan.rounds;
  if (!Number.isInteger(rounds) || rounds < 2) throw new Error('--rounds: an integer ≥ 2');
  return { quick: base.quick, engines: base.engines, rounds, dirs: [dirs[0], dirs[1]] };
}

const loadAverage = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** (max − min) ÷ median of a side's rounds: its own round-to-round spread. */
const relativeSpread = (values: number[]): number =>
  (Math.max(...values) - Math.min(...values)) / median(values);

const pct = (x: number): string => `${fmt(100 * x, 0)} %`;

/** One line of the table: a cell on an engine. */
function tableRow(cell: Cell, engine: EngineId, samples: Samples, rounds: number): string {
  const a = samples.get(sampleKey(cell, engine, 'before')).slice(0, rounds);
  const b = samples.get(sampleKey(cell, engine, 'after')).slice(0, rounds);
  const ratios = b.map((x, i) => x / a[i]);
  const ratio = median(ratios);
  const spreadA = relativeSpread(a);
  // Worse: a lower rate or a higher time or memory than before, beyond before's own spread.
  const worseBy = cell.higherBetter ? 1 - ratio : ratio - 1;
  const side = (values: number[]): string =>
    `${fmt(median(values), cell.digits)}${cell.unit} (${fmt(Math.min(...values), cell.digits)}–${fmt(Math.max(...values), cell.digits)}, ${pct(relativeSpread(values))})`;
  return [
    cell.label,
    ENGINE_LABELS[engine],
    side(a),
    side(b),
    fmt(ratio, 3),
    `${fmt(Math.min(...ratios), 3)}–${fmt(Math.max(...ratios), 3)}`,
    ratios.map((x) => fmt(x, 2)).join(' '),
    `${worseBy > spreadA ? '**yes**' : 'no'} (${worseBy > 0 ? 'worse' : 'better'} by ${pct(Math.abs(worseBy))}, spread ${pct(spreadA)})`,
  ].join(' | ');
}

/** The table of the rounds done (all of them, or those before a failure: `stopped` says why). */
function printTable(
  o: CompareOptions,
  builds: Build[],
  done: { samples: Samples; rounds: number; stopped?: string },
  started: Date,
): void {
  const cpu = cpus();
  const { samples, rounds } = done;
  const roundsText = done.stopped
    ? `${rounds} of ${o.rounds} rounds (stopped in round ${rounds + 1}: ${done.stopped})`
    : `${rounds} rounds`;
  console.log(
    `\nService builds compared side by side (${o.quick ? 'quick' : 'full'} mode), ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      `\nbefore: ${builds[0].commit} (${builds[0].root}); after: ${builds[1].commit} (${builds[1].root})` +
      `\n${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, ${roundsText}, ` +
      `load average (1, 5, 15 min) ${loadAtStart} at the start, ${loadAverage()} at the end\n`,
  );
  console.log(
    "| measure | engine | before: median (min–max, spread) | after: median (min–max, spread) | after ÷ before | ratio min–max | ratio per round | worse by more than before's spread? |",
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const cell of CELLS) {
    for (const engine of o.engines.filter((e) => !cell.engines || cell.engines.includes(e)))
      console.log(`| ${tableRow(cell, engine, samples, rounds)} |`);
  }
}

const loadAtStart = loadAverage();

async function main(): Promise<void> {
  const o = parseCompareOptions(process.argv);
  const base = parseOptions(process.argv);
  const plan = { ...base.plan, rounds: o.rounds };
  const builds = [openBuild('before', o.dirs[0]), openBuild('after', o.dirs[1])];
  const started = new Date();
  const logDir = mkdtempSync(join(tmpdir(), 'account-bench-compare-'));
  log(`${o.quick ? 'quick' : 'full'} comparison, ${o.rounds} rounds; logs in ${logDir}`);
  const smtp = new BenchSmtpSink();
  const sms = new BenchSmsSink();
  await Promise.all([smtp.start(), sms.start()]);
  const fleet = new Fleet(logDir, smtp.url, sms.url);
  const cc: CellContext = {
    ...{ plan, smtp },
    codes: o.quick ? 5 : 20,
    rssRequests: o.quick ? 2_000 : 10_000,
  };
  const done = { samples: new Samples(), rounds: 0 };
  // Every round's figures are kept in the log directory as they come.
  const roundDone = (rounds: number): void => {
    done.rounds = rounds;
    writeFileSync(join(logDir, 'rounds.json'), JSON.stringify(done.samples.toJSON(), null, 1));
  };
  try {
    const deliveryUsers = plan.rounds * cc.codes + DELIVERY_WARM_USERS;
    const instances = await startInstances(fleet, logDir, builds, o.engines, deliveryUsers);
    await warmUp(cc, instances);
    await runRounds(cc, instances, done.samples, roundDone);
    printTable(o, builds, done, started);
  } catch (error) {
    // A shared machine: an instance may be stopped from outside. The rounds done still count.
    if (done.rounds >= 2) printTable(o, builds, { ...done, stopped: String(error) }, started);
    throw error;
  } finally {
    await fleet.stopAll();
    await Promise.allSettled([smtp.stop(), sms.stop(), dropCompareDatabases(builds)]);
    removeSqliteFiles(logDir);
    await clearQueues();
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
