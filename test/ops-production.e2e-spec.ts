import { execFile } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'scripts', 'production-check.sh');
const TIMEOUT_MS = 10 * 60_000;

/**
 * The image's start-up steps without Docker (scripts/production-check.sh): clean install, build,
 * production prune, migrations as a separate step, start with NODE_ENV=production (ready, OpenAPI,
 * SIGTERM → exit 0, api and worker roles), and refusals of a bad production configuration.
 * It installs and builds a copy of the repository, so it runs in the PostgreSQL project only.
 */
const describeOnPostgres = process.env.E2E_DB === 'postgres' ? describe : describe.skip;

describeOnPostgres('production start-up without Docker', () => {
  it(
    'installs, builds, migrates, starts with NODE_ENV=production and stops cleanly',
    async () => {
      const { code, output } = await new Promise<{ code: number | null; output: string }>(
        (resolve) => {
          execFile(
            'bash',
            [SCRIPT],
            { timeout: TIMEOUT_MS - 10_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGTERM' },
            (error, stdout, stderr) => {
              const exit = error ? (typeof error.code === 'number' ? error.code : null) : 0;
              resolve({ code: exit, output: `${stdout}\n${stderr}` });
            },
          );
        },
      );
      if (code !== 0)
        throw new Error(`production-check.sh exited ${code}:\n${output.slice(-4000)}`);
      expect(output).toContain('/health/ready: 200');
      expect(output).toContain('/api/docs-json: 200, OpenAPI document');
      expect(output).toContain('SIGTERM: exit code 0');
      expect(output).toMatch(/refused \(exit 1\): .*APP_SECRET/);
      expect(output).toMatch(/refused \(exit 1\): .*SMS_PROVIDER/);
      expect(output).toContain('production check passed');
    },
    TIMEOUT_MS,
  );
});
