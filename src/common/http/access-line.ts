import { hostname } from 'node:os';

/** pino's numeric levels of the access log's lines. */
export const INFO = 30;
export const ERROR = 50;

export interface AccessEntry {
  id: string;
  method: string;
  path: string;
  ip: string | undefined;
  statusCode: number;
  responseTime: number;
}

/**
 * One access-log line, byte for byte what pino writes for
 * `logger[level]({ req: { id, method, path, ip }, res: { statusCode }, responseTime }, msg)`
 * with its default base (pid, hostname), built as one template string: pino's generic path
 * (bindings, serialisers, hooks, a stringify per value) is most of a cached session check's cost
 * otherwise. The values a client sends (id, path) go through JSON.stringify; the rest are numbers
 * and constant strings. An absent `ip` is left out, as JSON leaves out undefined.
 */
export function accessLineWriter(
  pid: number = process.pid,
  host: string = hostname(),
): (level: number, entry: AccessEntry, msg: string, time?: number) => string {
  const base = `,"pid":${pid},"hostname":${JSON.stringify(host)},"req":{"id":`;
  return (level, entry, msg, time = Date.now()) =>
    `{"level":${level},"time":${time}${base}${JSON.stringify(entry.id)},"method":${JSON.stringify(
      entry.method,
    )},"path":${JSON.stringify(entry.path)}${
      entry.ip === undefined ? '' : `,"ip":${JSON.stringify(entry.ip)}`
    }},"res":{"statusCode":${entry.statusCode}},"responseTime":${entry.responseTime},"msg":${JSON.stringify(msg)}}\n`;
}
