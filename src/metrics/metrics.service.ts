import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram';

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

/** The request-duration buckets, in seconds. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Templates whose message carries a security code, and the purpose label they count under. */
const CODE_TEMPLATES: Record<string, string> = { login_code: 'login', phone_code: 'phone' };

/**
 * The service's Prometheus metrics in one registry of its own (served at GET /metrics). Every
 * label has a small, fixed set of values: routes are patterns, never raw URLs.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new RequestHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by method, route pattern and status code.',
    HTTP_BUCKETS,
    this.registry,
  );

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

  /** Session checks by result, counted as plain numbers (one per request) and read at scrape. */
  private readonly sessionCheckCounts = { hit: 0, miss: 0, off: 0 };
  private readonly sessionChecks = new Counter({
    name: 'session_cache_lookups_total',
    help: "Session checks by where the answer came from: hit (this instance's session cache), miss (the database, then cached), off (the database; the cache is off or not trusted at the moment).",
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: () => {
      this.sessionChecks.reset();
      for (const [result, count] of Object.entries(this.sessionCheckCounts)) {
        this.sessionChecks.inc({ result }, count);
      }
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished HTTP request; `route` is the matched pattern or "unmatched". */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe(method, route, status, seconds);
  }

  recordSessionCheck(result: 'hit' | 'miss' | 'off'): void {
    this.sessionCheckCounts[result] += 1;
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
}
