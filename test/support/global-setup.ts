import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The e2e suites run the built service (`node dist/main.js`), as ops would; build it once if stale. */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const main = join(root, 'dist', 'main.js');
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(main)) return;
  if (!existsSync(main) || newestSource(join(root, 'src')) > statSync(main).mtimeMs) {
    execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' });
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}
