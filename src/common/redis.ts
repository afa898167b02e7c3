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
 * Reports Redis outages as one line when they start and one when they end, instead of a stack per
 * reconnect attempt.
 */
export class RedisOutageReporter {
  private readonly logger = new Logger('Redis');
  private down = false;

  constructor(private readonly url: string) {}

  onError = (error: Error & { code?: string }): void => {
    if (this.down) return;
    this.down = true;
    this.logger.error(
      `Redis is unreachable at REDIS_URL=${describeRedisUrl(this.url)} (${error.code ?? error.message}); ` +
        'messages wait in the outbox and are delivered once it answers.',
    );
  };

  onReady = (): void => {
    if (!this.down) return;
    this.down = false;
    this.logger.log(`Redis at REDIS_URL=${describeRedisUrl(this.url)} answers again.`);
  };
}

/** An ioredis client that keeps reconnecting quietly (at most every 2 s). */
export function createRedisClient(
  url: string,
  reporter: RedisOutageReporter,
  options: RedisOptions = {},
): Redis {
  const client = new Redis(url, {
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    connectTimeout: 5000,
    ...options,
  });
  client.on('error', reporter.onError);
  client.on('ready', reporter.onReady);
  return client;
}
