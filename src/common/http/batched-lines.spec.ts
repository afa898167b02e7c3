import { batchedLines } from './batched-lines';

describe('batchedLines', () => {
  const writes: string[] = [];
  const sink = { write: (text: string) => void writes.push(text) };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => (writes.length = 0));

  it('writes the lines of one event-loop turn together, in order, at the end of the turn', async () => {
    const lines = batchedLines(sink);
    lines.write('a\n');
    lines.write('b\n');
    lines.write('c\n');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['a\nb\nc\n']);
  });

  it('writes each later turn on its own, and nothing for a turn without lines', async () => {
    const lines = batchedLines(sink);
    lines.write('1\n');
    await turn();
    await turn();
    lines.write('2\n');
    await turn();
    expect(writes).toEqual(['1\n', '2\n']);
  });

  it('writes what is pending when the process exits', () => {
    let exit = (): void => undefined;
    const lines = batchedLines(sink, (flush) => (exit = flush));
    lines.write('last\n');
    exit();
    expect(writes).toEqual(['last\n']);
  });
});
