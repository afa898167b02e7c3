/** Memory: RSS after a round of requests, and over three further rounds. */
import { BenchContext } from '../lib/context';
import { cannon } from '../lib/load';
import { sleep } from '../lib/processes';
import { log } from '../lib/report';
import { ME_CONNECTIONS, SMALL_USERS } from '../lib/settings';
import { fmt } from '../lib/stats';

export async function measureMemory(ctx: BenchContext): Promise<void> {
  const { small } = ctx;
  const { rssRound } = ctx.options.plan;
  const rss: number[] = [];
  const heaps: Record<string, number>[] = [];
  for (let r = 0; r < 4; r++) {
    log(`memory, round ${r + 1}/4 (${rssRound} requests)`);
    const half = rssRound / 2;
    await cannon({
      url: small.url,
      path: '/api/v1/me',
      connections: ME_CONNECTIONS,
      amount: half,
      token: ctx.randomSession(SMALL_USERS),
    });
    await cannon({
      url: small.url,
      path: '/api/v1/me',
      connections: ME_CONNECTIONS,
      amount: half,
      token: ctx.randomInvalid,
    });
    await sleep(500);
    rss.push(small.rssMb());
    heaps.push(await small.ask<Record<string, number>>({ probe: 'memory' }));
  }
  const growth = (rss[3] - rss[0]) / rss[0];
  const k = `${rssRound / 1000}k`;
  ctx.report.row(
    `Resident memory after ${k} requests (GET /me, half valid, half invalid)`,
    '≤ 200 MB',
    `${fmt(rss[0], 0)} MB`,
    rss[0] <= 200,
    `after each round: ${rss.map((x) => fmt(x, 0)).join(', ')} MB; V8 heap used/total ${heaps.map((h) => `${h.heapUsed}/${h.heapTotal}`).join(', ')} MB`,
  );
  ctx.report.row(
    `RSS growth over three further rounds of ${k}`,
    '≤ 5 %',
    `${fmt(growth * 100, 1)} %`,
    growth <= 0.05,
    `${fmt(rss[0], 0)} → ${fmt(rss[3], 0)} MB`,
  );
}
