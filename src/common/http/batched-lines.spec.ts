import { BATCH_MAX_CHARS, batchedLines } from './batched-lines';

describe('batchedLines', () => {
  const writes: string[] = [];
  const sink = { write: (text: string) => void writes.push(text) };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    writes.length = 0;
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  });
  afterEach(() => jest.useRealTimers());

  it('writes the lines of one interval together, in order, once it has passed', async () => {
    const lines = batchedLines(sink, () => undefined, 20);
    lines.write('a\n');
    await turn();
    lines.write('b\n');
    jest.advanceTimersByTime(19);
    lines.write('c\n');
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(writes).toEqual(['a\nb\nc\n']);
  });

  it('writes each later interval on its own, and nothing for an interval without lines', () => {
    const lines = batchedLines(sink, () => undefined, 20);
    lines.write('1\n');
    jest.advanceTimersByTime(20);
    jest.advanceTimersByTime(100);
    lines.write('2\n');
    jest.advanceTimersByTime(20);
    expect(writes).toEqual(['1\n', '2\n']);
  });

  it('writes at once when a batch reaches its size limit', () => {
    const lines = batchedLines(sink, () => undefined, 20);
    const line = `${'x'.repeat(1023)}\n`;
    const count = BATCH_MAX_CHARS / line.length;
    for (let i = 0; i < count - 1; i += 1) lines.write(line);
    expect(writes).toEqual([]);
    lines.write(line);
    expect(writes).toEqual([line.repeat(count)]);
    jest.advanceTimersByTime(20);
    expect(writes).toHaveLength(1);
  });

  it('writes what is pending when the process exits', () => {
    let exit = (): void => undefined;
    const lines = batchedLines(sink, (flush) => (exit = flush));
    lines.write('last\n');
    exit();
    expect(writes).toEqual(['last\n']);
    jest.advanceTimersByTime(1000);
    expect(writes).toEqual(['last\n']);
  });
});
