import { availableParallelism } from 'node:os';

/**
 * bcrypt runs on libuv's threadpool, 4 threads by default whatever the machine. On fewer cores
 * the extra threads only take CPU time from the event loop (event-loop delay under login load);
 * on more cores bcrypt leaves cores idle. The pool is sized to the cores unless UV_THREADPOOL_SIZE
 * is set. libuv reads the variable when the pool is first used, so this module is imported
 * first, before anything can queue work on the pool.
 */
export const THREADPOOL_SIZE =
  process.env.UV_THREADPOOL_SIZE || String(Math.max(2, availableParallelism()));

process.env.UV_THREADPOOL_SIZE = THREADPOOL_SIZE;
