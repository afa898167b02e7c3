import { isIP } from 'node:net';

/** Relying-party settings of passkeys (WebAuthn), checked once at start. */
export interface WebAuthnSettings {
  /** WEBAUTHN_RP_ID, default the hostname of APP_PUBLIC_URL. */
  rpId: string;
  /** WEBAUTHN_ORIGINS, default the origin of APP_PUBLIC_URL; serialized origins, no duplicates. */
  origins: string[];
  /** Settings that start but cannot work in a browser (an origin that is no secure context). */
  warnings: string[];
}

/** A setting that cannot work; the message starts with the variable to fix. */
export class WebAuthnConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
    this.name = 'WebAuthnConfigError';
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Derives the RP ID and accepted origins from the environment's values and checks them: the RP ID
 * is a host name (or IP address) without scheme, port or path; every origin is a bare http(s)
 * origin; and the RP ID is a registrable suffix of every origin's hostname (see
 * isRegistrableSuffix), which is what browsers demand before they create or use a passkey.
 */
export function webauthnSettings(input: {
  publicUrl: string;
  rpId?: string;
  origins?: string;
}): WebAuthnSettings {
  const publicUrl = parseHttpUrl(input.publicUrl, 'APP_PUBLIC_URL');
  const configuredRpId = input.rpId?.trim();
  const rpId = configuredRpId
    ? checkedRpId(configuredRpId.toLowerCase())
    : checkedRpId(publicUrl.hostname);
  const configuredOrigins = (input.origins ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const originsVariable = configuredOrigins.length ? 'WEBAUTHN_ORIGINS' : 'APP_PUBLIC_URL';
  const origins = configuredOrigins.length
    ? [...new Set(configuredOrigins.map((o) => checkedOrigin(o, originsVariable)))]
    : [publicUrl.origin];
  const warnings: string[] = [];
  for (const origin of origins) {
    const { hostname, protocol } = new URL(origin);
    if (!isRegistrableSuffix(rpId, hostname))
      throw new WebAuthnConfigError(
        configuredRpId ? 'WEBAUTHN_RP_ID' : originsVariable,
        `the RP ID ${rpId} is not a registrable suffix of the hostname of ${origin}`,
      );
    if (protocol === 'http:' && !LOOPBACK_HOSTS.has(hostname) && !hostname.endsWith('.localhost'))
      warnings.push(`${originsVariable}: ${origin} is no secure context; passkeys need https`);
  }
  return { rpId, origins, warnings };
}

/**
 * Whether a page on `hostname` may use passkeys of `rpId` (WebAuthn §5.1.3, HTML's "is a
 * registrable domain suffix of or is equal to"): the same host, or a suffix at a dot boundary
 * that is not a single label (`com`) other than `localhost`. IP addresses only equal themselves.
 * Without the public suffix list, multi-label public suffixes (`co.uk`) are not recognised.
 */
export function isRegistrableSuffix(rpId: string, hostname: string): boolean {
  if (!rpId || !hostname) return false;
  if (isIpAddress(rpId) || isIpAddress(hostname)) return rpId === hostname;
  if (rpId === hostname) return true;
  if (!hostname.endsWith(`.${rpId}`)) return false;
  return rpId.includes('.') || rpId === 'localhost';
}

function isIpAddress(host: string): boolean {
  return isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function parseHttpUrl(value: string, variable: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebAuthnConfigError(variable, `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebAuthnConfigError(variable, `${url.protocol} URLs cannot host passkeys`);
  return url;
}

function checkedRpId(rpId: string): string {
  let host: string | undefined;
  try {
    const url = new URL(`https://${rpId}/`);
    host = url.hostname === rpId && !url.port && !url.username ? url.hostname : undefined;
  } catch {
    host = undefined;
  }
  const valid = host && (isIpAddress(host) || host.split('.').every((l) => LABEL.test(l)));
  if (!valid)
    throw new WebAuthnConfigError(
      'WEBAUTHN_RP_ID',
      `${JSON.stringify(rpId)} is not a host name (no scheme, port, path or trailing dot; IDNs in punycode)`,
    );
  return rpId;
}

function checkedOrigin(value: string, variable: string): string {
  const url = parseHttpUrl(value, variable);
  // Anything beyond scheme, host and port (a path, query, fragment or user) shows in the href.
  if (url.href !== `${url.origin}/`)
    throw new WebAuthnConfigError(
      variable,
      `${value} is not an origin (scheme, host and port only)`,
    );
  return url.origin;
}
