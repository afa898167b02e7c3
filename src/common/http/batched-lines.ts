import pino from 'pino';

/** What pino writes its lines to. */
export interface LineDestination {
  write(line: string): void;
}

/** Lines wait at most this long before they are written. */
export const BATCH_MS = 20;
/** A batch this large (in characters) is written at once. */
export const BATCH_MAX_CHARS = 64 * 1024;

/**
 * A destination for lines written many per second (the access log under load): the lines of
 * BATCH_MS leave in one write, or sooner once BATCH_MAX_CHARS are waiting, and what is left when
 * the process exits is written then. One system call per batch instead of one per request; a
 * line waits at most BATCH_MS (only a SIGKILL loses that much). `sink` defaults to stdout,
 * written synchronously (pino's own destination, which retries when a pipe is full).
 */
export function batchedLines(
  sink: LineDestination = pino.destination({ fd: 1, sync: true }),
  atExit: (flush: () => void) => void = (flush) => process.once('exit', flush),
  intervalMs = BATCH_MS,
): LineDestination {
  let pending: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0] : pending.join('');
    pending = [];
    chars = 0;
    sink.write(text);
  };
  atExit(flush);
  return {
    write(line: string): void {
      pending.push(line);
      chars += line.length;
      if (chars >= BATCH_MAX_CHARS) return flush();
      if (timer === undefined) timer = setTimeout(flush, intervalMs).unref();
    },
  };
}
