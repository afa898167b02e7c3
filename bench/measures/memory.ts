/**
 * Memory on each engine: RSS of two fresh instances after a round of requests, and over three
 * further rounds. One started as `npm start` starts it (its Node flags from package.json, no
 * NODE_OPTIONS), one as the image starts it (`node dist/main.js` with the Dockerfile's
 * NODE_OPTIONS).
 */
import { BenchContext } from '../lib/context';
import { Engine } from '../lib/engines';
import { cannon } from '../lib/load';
import { ServerProcess, sleep } from '../lib/processes';
import { log } from '../lib/report';
import { ME_CONNECTIONS, SERVICE_NODE_OPTIONS, SMALL_USERS } from '../lib/settings';
import { npmStartNodeArgs } from '../lib/service';
import { fmt } from '../lib/stats';

const ROUNDS = 4;

interface Readings {
  rss: number[];
  heaps: Record<string, number>[];
}

/** rssRound GET /me: half with valid sessions, half with forged tokens. */
async function load(ctx: BenchContext, server: ServerProcess): Promise<void> {
  const half = ctx.options.plan.rssRound / 2;
  for (const token of [ctx.randomSession(SMALL_USERS), ctx.randomInvalid]) {
    await cannon({
      url: server.url,
      path: '/api/v1/me',
      connections: ME_CONNECTIONS,
      amount: half,
      token,
    });
  }
}

/** The two instances in turns, ROUNDS rounds: RSS (from /proc) and V8 heap after each. */
async function readings(
  ctx: BenchContext,
  servers: ServerProcess[],
  engine: Engine,
): Promise<Readings[]> {
  const result = servers.map((): Readings => ({ rss: [], heaps: [] }));
  for (let r = 0; r < ROUNDS; r++) {
    log(
      `memory, ${engine.label}, round ${r + 1}/${ROUNDS} (${ctx.options.plan.rssRound} requests)`,
    );
    for (let i = 0; i < servers.length; i++) {
      const k = (i + r) % servers.length;
      await load(ctx, servers[k]);
      await sleep(500);
      result[k].rss.push(servers[k].rssMb());
      result[k].heaps.push(await servers[k].ask<Record<string, number>>({ probe: 'memory' }));
    }
  }
  return result;
}

const growth = (rss: number[]): number[] => rss.slice(1).map((x) => ((x - rss[0]) / rss[0]) * 100);
const heapList = (heaps: Record<string, number>[]): string =>
  heaps.map((h) => `${h.heapUsed}/${h.heapTotal}`).join(', ');

function addRows(ctx: BenchContext, engine: Engine, [plain, image]: Readings[]): void {
  const k = `${ctx.options.plan.rssRound / 1000}k`;
  const base = { engine: engine.label, digits: 0, unit: ' MB' };
  ctx.report.add({
    measure: `Resident memory after ${k} requests (GET /me, half valid, half invalid), started as npm start does: node ${npmStartNodeArgs().join(' ')} dist/main.js, no NODE_OPTIONS`,
    ...{ ...base, target: '≤ 200 MB', rounds: plain.rss, value: plain.rss[0] },
    pass: (x) => x <= 200,
    detail: `after each round: ${plain.rss.map((x) => fmt(x, 0)).join(', ')} MB; V8 heap used/total ${heapList(plain.heaps)} MB`,
  });
  const grown = growth(plain.rss);
  ctx.report.add({
    measure: `RSS growth over three further rounds of ${k}, as npm start runs it`,
    ...{ engine: engine.label, target: '≤ 5 %', rounds: grown, value: grown[grown.length - 1] },
    ...{ digits: 1, unit: ' %', pass: (x: number) => x <= 5 },
    detail: `${fmt(plain.rss[0], 0)} → ${fmt(plain.rss[ROUNDS - 1], 0)} MB; spread: after round 2, 3, 4`,
  });
  const imageGrowth = growth(image.rss);
  ctx.report.add({
    measure: `Resident memory after ${k} requests, as the image runs it: node dist/main.js, NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"`,
    ...{ ...base, target: '≤ 200 MB', rounds: image.rss, value: image.rss[0] },
    pass: (x) => x <= 200,
    detail: `after each round: ${image.rss.map((x) => fmt(x, 0)).join(', ')} MB (growth ${fmt(imageGrowth[imageGrowth.length - 1], 1)} %); V8 heap used/total ${heapList(image.heaps)} MB`,
  });
}

export async function measureMemory(ctx: BenchContext): Promise<void> {
  const plain = new Map<string, number[]>();
  for (const engine of ctx.engines) {
    log(`memory, ${engine.label}: two fresh instances, as npm start and as the image start it`);
    const servers = await Promise.all([
      engine.startFresh(`mem-npm-start-${engine.id}`, {
        nodeOptions: null,
        nodeArgs: npmStartNodeArgs(),
      }),
      engine.startFresh(`mem-image-${engine.id}`, { nodeOptions: SERVICE_NODE_OPTIONS }),
    ]);
    try {
      const result = await readings(ctx, servers, engine);
      addRows(ctx, engine, result);
      plain.set(engine.id, result[0].rss);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  ctx.report.compare('Resident memory, as npm start runs it', {
    postgres: plain.get('postgres'),
    sqlite: plain.get('sqlite'),
  });
}
