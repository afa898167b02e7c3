import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MESSAGES_QUEUE } from '../notifications/notifications.constants';

export type LoginOutcome =
  | 'password_only'
  | 'trusted_device'
  | 'code_required'
  | 'invalid_credentials'
  | 'throttled'
  | 'deactivated'
  | 'code_ok'
  | 'code_wrong';

export type JobFailure = 'retrying' | 'permanent' | 'exhausted';

/** Templates whose message carries a security code, and the purpose label they count under. */
const CODE_TEMPLATES: Record<string, string> = { login_code: 'login', phone_code: 'phone' };
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const QUEUE_TIMEOUT_MS = 1000;
type QueueCounts = Partial<Record<string, number>>;

/**
 * The service's Prometheus metrics in one registry of its own (served at GET /metrics). Every
 * label has a small, fixed set of values: routes are patterns, never raw URLs.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private inflightCounts?: Promise<QueueCounts | null>;

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly logins = new Counter({
    name: 'auth_login_outcomes_total',
    help: 'Login steps by outcome: password_only, trusted_device, code_required, invalid_credentials, throttled, deactivated, code_ok, code_wrong.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly codesSent = new Counter({
    name: 'security_codes_sent_total',
    help: 'Security code messages handed to the provider, by channel (sms, email) and purpose (login, phone).',
    labelNames: ['channel', 'purpose'] as const,
    registers: [this.registry],
  });

  private readonly codesFailed = new Counter({
    name: 'security_codes_failed_total',
    help: 'Security code messages that failed for good (permanent refusal or attempts exhausted), by channel and purpose.',
    labelNames: ['channel', 'purpose'] as const,
    registers: [this.registry],
  });

  private readonly jobFailures = new Counter({
    name: 'queue_job_failures_total',
    help: 'Failed attempts of queue jobs by queue and what follows: retrying, permanent (not retried) or exhausted (no attempts left).',
    labelNames: ['queue', 'result'] as const,
    registers: [this.registry],
  });

  private readonly deactivations = new Counter({
    name: 'account_deactivations_total',
    help: 'Accounts deactivated automatically, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly sessionChecks = new Counter({
    name: 'session_cache_lookups_total',
    help: "Session checks by where the answer came from: hit (this instance's session cache), miss (the database, then cached), off (the database; the cache is off or not trusted at the moment).",
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly sessionCheckResults = {
    hit: this.sessionChecks.labels('hit'),
    miss: this.sessionChecks.labels('miss'),
    off: this.sessionChecks.labels('off'),
  };

  constructor(private readonly moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry });
    // Both gauges read the counts of the same scrape (collect() callbacks run concurrently).
    const readCounts = (): Promise<QueueCounts | null> => this.sharedQueueCounts();
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in the message queue by state (waiting, active, delayed, failed), read at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await readCounts();
        if (!counts) return;
        for (const state of QUEUE_STATES) {
          this.set({ queue: MESSAGES_QUEUE, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'queue_up',
      help: '1 when the queue statistics could be read from Redis at this scrape, else 0.',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.set({ queue: MESSAGES_QUEUE }, (await readCounts()) ? 1 : 0);
      },
    });
  }

  /** Records one finished HTTP request; `route` is the matched pattern or "unmatched". */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  recordSessionCheck(result: 'hit' | 'miss' | 'off'): void {
    this.sessionCheckResults[result].inc();
  }

  recordLogin(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }

  /** Counts a message that was sent or failed for good, if it carries a security code. */
  recordCodeMessage(template: string, channel: string, result: 'sent' | 'failed'): void {
    const purpose = CODE_TEMPLATES[template];
    if (!purpose) return;
    (result === 'sent' ? this.codesSent : this.codesFailed).inc({ channel, purpose });
  }

  recordJobFailure(queue: string, result: JobFailure): void {
    this.jobFailures.inc({ queue, result });
  }

  recordDeactivation(reason: string): void {
    this.deactivations.inc({ reason });
  }

  /** The Prometheus text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** One read of the queue for all gauges of a scrape. */
  private sharedQueueCounts(): Promise<QueueCounts | null> {
    this.inflightCounts ??= this.queueCounts().finally(() => {
      this.inflightCounts = undefined;
    });
    return this.inflightCounts;
  }

  /** Job counts of the message queue; null when the queue is absent or Redis does not answer. */
  private async queueCounts(): Promise<QueueCounts | null> {
    let queue: Queue;
    try {
      queue = this.moduleRef.get<Queue>(getQueueToken(MESSAGES_QUEUE), { strict: false });
    } catch {
      return null;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), QUEUE_TIMEOUT_MS);
    });
    try {
      // A Redis outage must not hang the scrape: give up after QUEUE_TIMEOUT_MS.
      const counts = queue.getJobCounts().catch(() => null);
      return (await Promise.race([counts, timeout])) as QueueCounts | null;
    } finally {
      clearTimeout(timer);
    }
  }
}
