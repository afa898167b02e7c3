import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/**
 * A real browser for passkey tests: Debian's Chromium (never a downloaded build) driven through
 * playwright-core, with a CDP virtual authenticator standing in for the platform authenticator
 * (a passkey in the device, user verified, presence simulated). CI installs Chromium in .ci/run;
 * elsewhere `browserUnavailable()` says why a test cannot run so that it can skip with that reason.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const VIRTUAL_AUTHENTICATOR = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

/** A credential as the virtual authenticator holds it. */
export interface VirtualCredential {
  credentialId: string;
  rpId?: string;
  userHandle?: string;
  signCount: number;
  isResidentCredential: boolean;
}

export interface PasskeyBrowser {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  /** The credentials in the virtual authenticator (ids base64url as the page sees them). */
  credentials(): Promise<VirtualCredential[]>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Why no passkey browser can start on this machine, or null when one can. */
export function browserUnavailable(): string | null {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  }
  try {
    execFileSync(CHROMIUM_PATH, ['--version'], { stdio: 'pipe', timeout: 30_000 });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    return `Chromium at ${CHROMIUM_PATH} does not run: ${detail.split('\n').pop()}`;
  }
  return null;
}

/** Starts Chromium with a fresh profile, one page, and a virtual authenticator on that page. */
export async function launchPasskeyBrowser(): Promise<PasskeyBrowser> {
  const unavailable = browserUnavailable();
  if (unavailable) throw new Error(`Cannot start the passkey browser: ${unavailable}`);
  const profile = mkdtempSync(join(tmpdir(), 'passkey-browser-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`Chromium at ${CHROMIUM_PATH} did not start: ${(error as Error).message}`);
  }
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: VIRTUAL_AUTHENTICATOR,
    });
    const credentials = async (): Promise<VirtualCredential[]> => {
      const { credentials: held } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return held.map((c) => ({
        credentialId: Buffer.from(c.credentialId, 'base64').toString('base64url'),
        rpId: c.rpId,
        userHandle: c.userHandle && Buffer.from(c.userHandle, 'base64').toString('base64url'),
        signCount: c.signCount,
        isResidentCredential: c.isResidentCredential,
      }));
    };
    return { context, page, cdp, authenticatorId, credentials, close };
  } catch (error) {
    await close();
    throw error;
  }
}
