import type { JobOptions } from 'bull';

export const MESSAGES_QUEUE = 'messages';
export const DELIVER_JOB = 'deliver';

/** Options of every delivery job: the job carries only the outbox id, never the message. */
export function deliverJobOptions(
  messageId: string,
  maxAttempts: number,
  backoffMs: number,
): JobOptions {
  return {
    jobId: messageId,
    attempts: maxAttempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: true,
    removeOnFail: true,
  };
}
