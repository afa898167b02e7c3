import pino from 'pino';

/** What pino writes its lines to. */
export interface LineDestination {
  write(line: string): void;
}

/**
 * A destination for lines written many per event-loop turn (the access log under load): the
 * lines of one turn leave in one write at the end of the turn (setImmediate), and what is left
 * when the process exits is written then. One system call per turn instead of one per request;
 * a line waits for nothing but the rest of its turn. `sink` defaults to stdout, written
 * synchronously (pino's own destination, which retries when a pipe is full).
 */
export function batchedLines(
  sink: LineDestination = pino.destination({ fd: 1, sync: true }),
  atExit: (flush: () => void) => void = (flush) => process.once('exit', flush),
): LineDestination {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0] : pending.join('');
    pending = [];
    sink.write(text);
  };
  atExit(flush);
  return {
    write(line: string): void {
      pending.push(line);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
  };
}
