import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

/** REDIS_URL without its password, for log lines. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}

/**
 * Reports Redis outages as one line when the first connection to REDIS_URL fails and one line
 * when the last one is back, instead of a stack per reconnect attempt. Shared by every client of
 * the same URL in the process.
 */
export class RedisOutageReporter {
  private static readonly byUrl = new Map<string, RedisOutageReporter>();
  private readonly logger = new Logger('Redis');
  private readonly down = new Set<Redis>();

  private constructor(private readonly url: string) {}

  static for(url: string): RedisOutageReporter {
    let reporter = this.byUrl.get(url);
    if (!reporter) {
      reporter = new RedisOutageReporter(url);
      this.byUrl.set(url, reporter);
    }
    return reporter;
  }

  watch(client: Redis): void {
    client.on('error', (error: Error & { code?: string }) => {
      if (this.down.has(client)) return;
      this.down.add(client);
      if (this.down.size === 1) {
        this.logger.error(
          `Redis is unreachable at REDIS_URL=${describeRedisUrl(this.url)} (${error.code ?? error.message}); ` +
            'messages wait in the outbox and are delivered once it answers.',
        );
      }
    });
    client.on('ready', () => {
      if (!this.down.delete(client) || this.down.size > 0) return;
      this.logger.log(`Redis at REDIS_URL=${describeRedisUrl(this.url)} answers again.`);
    });
  }
}

/** An ioredis client that keeps reconnecting quietly (at most every 2 s). */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    connectTimeout: 5000,
    ...options,
  });
  RedisOutageReporter.for(url).watch(client);
  return client;
}
