import pino from 'pino';
import { AccessEntry, accessLineWriter, ERROR, INFO } from './access-line';

/** What pino itself writes for the same entry, level, message and time. */
function pinoLine(level: number, entry: AccessEntry, msg: string, time: number): string {
  let line = '';
  const logger = pino(
    { level: 'info', timestamp: () => `,"time":${time}` },
    { write: (text: string) => (line = text) },
  );
  const { statusCode, responseTime, ...req } = entry;
  const fields = { req, res: { statusCode }, responseTime };
  if (level === ERROR) logger.error(fields, msg);
  else logger.info(fields, msg);
  return line;
}

describe('accessLineWriter', () => {
  const format = accessLineWriter();
  const time = 1796408485277;

  // Every character class a client can put into a request id or a path, and addresses of both
  // families or none.
  const strings = [
    '',
    'plain',
    '/api/v1/me',
    'quote"back\\slash',
    'tab\tnew\nline\rcr',
    'control\u0000\u0001\u001f\u007f',
    'unicode é ü 😀 \u2028\u2029',
    'lone surrogate \ud800 and \udfff',
    '</script><!--',
    'x'.repeat(300),
  ];
  const ips = ['127.0.0.1', '::1', '::ffff:10.0.0.1', undefined];
  const cases: [number, AccessEntry, string][] = [];
  for (const text of strings) {
    for (const ip of ips) {
      cases.push([
        INFO,
        { id: text, method: 'GET', path: text, ip, statusCode: 200, responseTime: 3 },
        'request completed',
      ]);
    }
  }
  cases.push([
    ERROR,
    { id: 'a-b', method: 'POST', path: '/x', ip: '::1', statusCode: 503, responseTime: 0 },
    'request errored',
  ]);
  cases.push([
    INFO,
    { id: 'a-b', method: 'DELETE', path: '/x', ip: '::1', statusCode: 499, responseTime: 12345 },
    'request aborted',
  ]);

  it.each(cases)('level %d, entry %j, %s: the line pino writes', (level, entry, msg) => {
    const line = format(level, entry, msg, time);
    expect(line).toBe(pinoLine(level, entry, msg, time));
    expect(JSON.parse(line)).toEqual(JSON.parse(pinoLine(level, entry, msg, time)));
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('stamps the current time when none is given', () => {
    const before = Date.now();
    const { time: stamped } = JSON.parse(
      format(
        INFO,
        { id: 'i', method: 'GET', path: '/', ip: undefined, statusCode: 200, responseTime: 1 },
        'm',
      ),
    );
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});
