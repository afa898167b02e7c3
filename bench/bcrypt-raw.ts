/**
 * The physical limit of a password login: bcrypt.compare alone, in a Node process set up like
 * the service (same UV_THREADPOOL_SIZE from the environment). Started once by the benchmark;
 * each IPC message { count, concurrency } runs `count` compares with `concurrency` in flight and
 * answers { perSecond }.
 * Usage: node -r ts-node/register/transpile-only bench/bcrypt-raw.ts <hash>  (password in
 * BENCH_PASSWORD)
 */
import * as bcrypt from 'bcrypt';

const hash = process.argv[2];
const password = process.env.BENCH_PASSWORD ?? '';

async function measure(count: number, concurrency: number): Promise<number> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started += 1;
      if (!(await bcrypt.compare(password, hash))) throw new Error('hash does not match');
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

process.on('message', (message: { count: number; concurrency: number }) => {
  measure(message.count, message.concurrency).then(
    (perSecond) => process.send!({ perSecond }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
process.send!({ ready: true });
