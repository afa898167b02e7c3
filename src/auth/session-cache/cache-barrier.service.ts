import { Injectable, Logger } from '@nestjs/common';
import { SessionChangeFeed, STALE_AFTER_MS } from './session-change-feed';

interface Pending {
  waitingFor: Set<string>;
  done: () => void;
}

/**
 * "Every instance has applied what was committed": a changing request answers only after every
 * instance heard from recently has processed the announcements committed before it (they arrive
 * in commit order; each instance confirms a marker sent after them). So after a logout, a device
 * removal or a password change has answered, no instance accepts what it ended. It waits at most
 * STALE_AFTER_MS: an instance that cannot confirm for that long stops trusting its own cache.
 */
@Injectable()
export class CacheBarrier {
  private readonly logger = new Logger('SessionCache');
  /** The other listening instances, with when they were last heard. */
  private readonly peers = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private sequence = 0;
  private timeoutWarned = false;

  constructor(private readonly feed: SessionChangeFeed) {
    feed.onPeerMessage('alive', (peer) => {
      if (peer !== feed.instanceId) this.peers.set(peer, Date.now());
    });
    feed.onPeerMessage('bye', (peer) => {
      this.peers.delete(peer);
      for (const barrier of this.pending.values()) this.confirmed(barrier, peer);
    });
    // Everything committed before this marker has been processed: confirm it.
    feed.onPeerMessage(
      'sync',
      (id) => void feed.send('ack', `${id}:${feed.instanceId}`).catch(() => undefined),
    );
    feed.onPeerMessage('ack', (rest) => {
      const by = rest.slice(rest.lastIndexOf(':') + 1);
      const barrier = this.pending.get(rest.slice(0, rest.lastIndexOf(':')));
      if (!barrier) return;
      this.peers.set(by, Date.now());
      this.confirmed(barrier, by);
    });
    // Nothing to wait for: this cache is empty and off, the others stop trusting theirs.
    feed.onLost(() => {
      for (const barrier of this.pending.values()) barrier.done();
    });
  }

  async wait(): Promise<void> {
    if (!this.feed.enabled || !this.feed.isListening) return;
    const id = `${this.feed.instanceId}:${++this.sequence}`;
    const now = Date.now();
    const waitingFor = new Set([this.feed.instanceId]);
    for (const [peer, seen] of this.peers) {
      if (now - seen < STALE_AFTER_MS) waitingFor.add(peer);
      else this.peers.delete(peer);
    }
    let timer: NodeJS.Timeout | undefined;
    const confirmed = new Promise<boolean>((resolve) => {
      this.pending.set(id, { waitingFor, done: () => resolve(true) });
      timer = setTimeout(() => resolve(false), STALE_AFTER_MS);
    });
    try {
      await this.feed.send('sync', id);
      if (!(await confirmed) && !this.timeoutWarned) {
        this.timeoutWarned = true;
        this.logger.warn(
          `Session cache: ${waitingFor.size} instance(s) did not confirm announcements within ${STALE_AFTER_MS} ms`,
        );
      }
    } catch {
      // The listener is gone: this cache is off, the others stop trusting theirs.
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  private confirmed(barrier: Pending, by: string): void {
    barrier.waitingFor.delete(by);
    if (barrier.waitingFor.size === 0) barrier.done();
  }
}
