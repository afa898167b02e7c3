import { ThrottlerStorage } from '@nestjs/throttler';

/** What the storage answers for one hit (the package's record type, through its public API). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Waiter {
  /** Position of the hit among the window's hits of its batch (1-based). */
  readonly index: number;
  readonly resolve: (record: ThrottlerStorageRecord) => void;
}

/** What this instance knows about one client's window, and its hits on their way to Redis. */
export class ClientWindow {
  /** Hits of the window as Redis last reported them (this instance's and the others'). */
  known = 0;
  /** When the sync that reported `known` was sent (ms); 0 = nothing known for this window. */
  learnedAt = 0;
  /** When the window ends (ms); 0 = not known yet. Never later than in Redis. */
  windowEnd = 0;
  /** Hits counted here, not yet sent, and the requests among them that wait for the answer. */
  pending = 0;
  pendingWaiters: Waiter[] = [];
  /** Hits in the sync in flight, and the requests among them that wait for its answer. */
  sending = 0;
  sendingWaiters: Waiter[] = [];

  constructor(
    readonly redisKey: string,
    public ttl: number,
    public limit: number,
    public blockDuration: number,
  ) {}

  get localCount(): number {
    return this.known + this.sending + this.pending;
  }

  /**
   * The window has ended: the Redis key has expired, what it reported no longer counts. Hits not
   * sent yet go into the new window (Redis counts them there; online they are at most one round
   * trip old). While Redis is away they may be a whole window old, were never counted in Redis,
   * and would hold the client at the limit for the rest of the outage: dropped.
   */
  rollOver(redisAway: boolean): void {
    this.known = 0;
    this.learnedAt = 0;
    this.windowEnd = 0;
    if (redisAway && this.pendingWaiters.length === 0) this.pending = 0;
  }

  record(hits: number, msLeft: number): ThrottlerStorageRecord {
    const timeToExpire = Math.max(1, Math.ceil(msLeft / 1000));
    const isBlocked = hits > this.limit;
    return {
      totalHits: hits,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked
        ? Math.max(timeToExpire, Math.ceil(this.blockDuration / 1000))
        : 0,
    };
  }

  /** Moves the pending hits into the sync about to be sent; false when there are none. */
  startSending(): boolean {
    if (this.pending === 0) return false;
    this.sending = this.pending;
    this.sendingWaiters = this.pendingWaiters;
    this.pending = 0;
    this.pendingWaiters = [];
    return true;
  }

  /** Records what Redis answered for this window's batch and answers the requests waiting on it. */
  settle(hits: number, msLeft: number, sentAt: number): void {
    const sent = this.sending;
    this.known = hits;
    this.learnedAt = sentAt;
    // Measured from when the sync was sent, so the local end is never after Redis's.
    this.windowEnd = sentAt + msLeft;
    this.sending = 0;
    const waiters = this.sendingWaiters;
    this.sendingWaiters = [];
    // The batch's hits hold positions hits - sent + 1 … hits of the window, in the order counted.
    for (const { index, resolve } of waiters) resolve(this.record(hits - sent + index, msLeft));
  }

  /**
   * The sync failed for this window: its hits go back to the pending ones (to send when Redis is
   * back, at most limit + 1 of them) and the waiting requests are answered from the local count.
   * True when hits remain to be sent.
   */
  keepLocally(now: number): boolean {
    if (this.windowEnd === 0) this.windowEnd = now + this.ttl;
    const msLeft = this.windowEnd - now;
    const sent = this.sending;
    for (const { index, resolve } of this.sendingWaiters)
      resolve(this.record(this.known + index, msLeft));
    for (const { index, resolve } of this.pendingWaiters) {
      resolve(this.record(this.known + sent + index, msLeft));
    }
    this.sendingWaiters = [];
    this.pendingWaiters = [];
    this.pending = Math.min(sent + this.pending, Math.max(0, this.limit + 1 - this.known));
    this.sending = 0;
    return this.pending > 0;
  }
}
