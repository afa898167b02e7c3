import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux), asked once. */
let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const told = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(told) && told > 0 ? told : 100;
  }
  return ticksPerSecond;
}

export interface ChildOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  logDir: string;
  port: number;
  /** Path answering 200 once the process serves requests. */
  readyPath: string;
  ipc?: boolean;
  /** Working directory (the build the process runs from); the repository by default. */
  cwd?: string;
}

/**
 * A server process of the benchmark. Its output goes to a file (as a log collector would take
 * it), so the benchmark process spends no CPU on draining pipes while it generates load.
 */
export class ServerProcess {
  private exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly port: number,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  static async start(options: ChildOptions): Promise<ServerProcess> {
    const logFile = join(options.logDir, `${options.name}.log`);
    const fd = openSync(logFile, 'a');
    const proc = spawn(process.execPath, options.args, {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: options.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
    });
    const server = new ServerProcess(options.name, proc, options.port, logFile);
    let gone = false;
    void server.exited.then(() => (gone = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (gone) throw new Error(`${options.name} exited while starting:\n${server.tail()}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`${options.name} not ready in 60 s:\n${server.tail()}`);
      }
      try {
        const res = await fetch(`${server.url}${options.readyPath}`);
        if (res.status === 200) return server;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Resident set size from /proc, in MB (read from outside the process). */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  /**
   * CPU time (user + system, all threads) the process has used so far, in µs, from /proc;
   * undefined where there is no /proc (not Linux) or the process is gone.
   */
  cpuMicros(): number | undefined {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 (utime) and 15 (stime) of proc(5); the list starts at field 3.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / clockTicks() : undefined;
  }

  /** Asks the preloaded probe (IPC) for a value. */
  ask<T>(message: { probe: string }, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no probe answer`)), timeoutMs);
      const onMessage = (reply: { probe?: string; value?: T }): void => {
        if (reply?.probe !== message.probe) return;
        clearTimeout(timer);
        this.proc.off('message', onMessage);
        resolve(reply.value as T);
      };
      this.proc.on('message', onMessage);
      this.proc.send(message);
    });
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
