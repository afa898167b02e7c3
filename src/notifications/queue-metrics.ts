import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { MESSAGES_QUEUE } from './notifications.constants';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const QUEUE_TIMEOUT_MS = 1000;
type QueueCounts = Partial<Record<string, number>>;

/** The message queue's gauges in the service's registry, read from Redis at scrape time. */
@Injectable()
export class QueueMetrics {
  private inflightCounts?: Promise<QueueCounts | null>;

  constructor(
    @InjectQueue(MESSAGES_QUEUE) private readonly queue: Queue,
    metrics: MetricsService,
  ) {
    // Both gauges read the counts of the same scrape (collect() callbacks run concurrently).
    const readCounts = (): Promise<QueueCounts | null> => this.sharedQueueCounts();
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in the message queue by state (waiting, active, delayed, failed), read at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const counts = await readCounts();
        if (!counts) return;
        for (const state of QUEUE_STATES)
          this.set({ queue: MESSAGES_QUEUE, state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'queue_up',
      help: '1 when the queue statistics could be read from Redis at this scrape, else 0.',
      labelNames: ['queue'] as const,
      registers: [metrics.registry],
      async collect() {
        this.set({ queue: MESSAGES_QUEUE }, (await readCounts()) ? 1 : 0);
      },
    });
  }

  /** One read of the queue for all gauges of a scrape. */
  private sharedQueueCounts(): Promise<QueueCounts | null> {
    this.inflightCounts ??= this.queueCounts().finally(() => {
      this.inflightCounts = undefined;
    });
    return this.inflightCounts;
  }

  /** Job counts of the message queue; null when Redis does not answer within a second. */
  private async queueCounts(): Promise<QueueCounts | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), QUEUE_TIMEOUT_MS);
    });
    try {
      const counts = this.queue.getJobCounts().catch(() => null);
      return (await Promise.race([counts, timeout])) as QueueCounts | null;
    } finally {
      clearTimeout(timer);
    }
  }
}
