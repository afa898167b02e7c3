import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { SoftwareAuthenticator, type AssertionKnobs, type Knobs } from './webauthn-authenticator';

const ORIGIN = 'https://app.example.test';
const RP_ID = 'example.test';

async function registrationOptions(exclude: string[] = []) {
  return generateRegistrationOptions({
    rpName: 'Example',
    rpID: RP_ID,
    userName: 'ana@example.test',
    userID: new TextEncoder().encode('user-0001'),
    attestationType: 'none',
    excludeCredentials: exclude.map((id) => ({ id })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

async function register(authenticator: SoftwareAuthenticator, knobs: Knobs = {}) {
  const options = await registrationOptions();
  const response = authenticator.register(options, knobs);
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  return { options, response, result };
}

/** A registered credential, as the service would store it. */
async function enrolled(authenticator: SoftwareAuthenticator): Promise<WebAuthnCredential> {
  const { result } = await register(authenticator);
  if (!result.registrationInfo) throw new Error('not registered');
  return { ...result.registrationInfo.credential };
}

async function assert(
  authenticator: SoftwareAuthenticator,
  credential: WebAuthnCredential,
  knobs: AssertionKnobs = {},
) {
  const options = await generateAuthenticationOptions({
    rpID: RP_ID,
    allowCredentials: [{ id: credential.id }],
    userVerification: 'required',
  });
  const response = authenticator.authenticate(options, knobs);
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
  });
  return { options, response, result };
}

/**
 * Whether a verification refused the response. @simplewebauthn/server throws for most faults but
 * answers `verified: false` for a bad signature: a caller must treat both as a rejection.
 */
async function refused(verification: Promise<{ result: { verified: boolean } }>): Promise<string> {
  try {
    const { result } = await verification;
    return result.verified ? 'accepted' : 'verified: false';
  } catch (error) {
    return `threw: ${(error as Error).message}`;
  }
}

describe('SoftwareAuthenticator: registration', () => {
  it('creates a response that @simplewebauthn/server verifies', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const { options, response, result } = await register(authenticator);
    expect(result.verified).toBe(true);
    const info = result.registrationInfo!;
    expect(info.credential.id).toBe(response.id);
    expect(info.credential.counter).toBe(0);
    expect(Buffer.from(info.credential.publicKey)).toEqual(
      Buffer.from(authenticator.credential(response.id).publicKey),
    );
    expect(info).toMatchObject({
      fmt: 'none',
      userVerified: true,
      credentialDeviceType: 'multiDevice',
      credentialBackedUp: true,
      origin: ORIGIN,
      rpID: RP_ID,
      aaguid: '00000000-0000-0000-0000-000000000000',
    });
    expect(authenticator.credential(response.id).userHandle).toBe(options.user.id);
  });

  it('reports a single-device credential and the chosen counter', async () => {
    const authenticator = new SoftwareAuthenticator({
      origin: ORIGIN,
      backupEligible: false,
      backedUp: false,
    });
    const { result } = await register(authenticator, { counter: 7 });
    expect(result.registrationInfo).toMatchObject({
      credentialDeviceType: 'singleDevice',
      credentialBackedUp: false,
      credential: { counter: 7 },
    });
  });
});

describe('SoftwareAuthenticator: registration refused', () => {
  it.each<[string, Knobs, RegExp]>([
    ['another origin', { origin: 'https://evil.example' }, /origin/],
    ['another RP ID', { rpId: 'evil.example' }, /RP ID/],
    [
      'another challenge',
      { challenge: Buffer.from('an old challenge').toString('base64url') },
      /challenge/,
    ],
    ['another ceremony type', { type: 'webauthn.get' }, /type/],
    ['no user verification', { userVerified: false }, /verif/],
  ])('is refused with %s', async (_, knobs, reason) => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    expect(await refused(register(authenticator, knobs))).toMatch(reason);
  });

  it('still verifies with unknown members added by a newer browser', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const { response, result } = await register(authenticator, {
      extra: {
        credential: { futureMember: { nested: true } },
        response: { futureResponseMember: 'x' },
        clientData: { other_keys_can_be_added_here: 'do not compare clientDataJSON' },
      },
    });
    expect(result.verified).toBe(true);
    expect((response as unknown as Record<string, unknown>).futureMember).toEqual({ nested: true });
  });

  it('refuses options that exclude one of its credentials', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const { response } = await register(authenticator);
    const options = await registrationOptions([response.id]);
    expect(() => authenticator.register(options)).toThrow(/InvalidStateError/);
  });
});

describe('SoftwareAuthenticator: authentication', () => {
  it('signs assertions that verify, with a counter that goes up', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enrolled(authenticator);
    const first = await assert(authenticator, credential);
    expect(first.result.verified).toBe(true);
    expect(first.result.authenticationInfo).toMatchObject({
      credentialID: credential.id,
      newCounter: 1,
      userVerified: true,
      credentialBackedUp: true,
    });
    expect(first.response.response.userHandle).toBe(
      authenticator.credential(credential.id).userHandle,
    );
    credential.counter = first.result.authenticationInfo.newCounter;
    const second = await assert(authenticator, credential);
    expect(second.result.authenticationInfo.newCounter).toBe(2);
  });

  it('reports a chosen counter, and a counter that goes backwards is refused', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enrolled(authenticator);
    const { result } = await assert(authenticator, credential, { counter: 41 });
    expect(result.authenticationInfo.newCounter).toBe(41);
    credential.counter = 41;
    await expect(assert(authenticator, credential, { counter: 41 })).rejects.toThrow(/counter/);
    await expect(assert(authenticator, credential, { counter: 40 })).rejects.toThrow(/counter/);
    expect(authenticator.credential(credential.id).signCount).toBe(40);
  });

  it('keeps the counter at 0 when told to, as synced passkeys do', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, counter: 'zero' });
    const credential = await enrolled(authenticator);
    for (let i = 0; i < 2; i++) {
      const { result } = await assert(authenticator, credential);
      expect(result.authenticationInfo.newCounter).toBe(0);
    }
  });
});

describe('SoftwareAuthenticator: authentication refused', () => {
  it.each<[string, AssertionKnobs, RegExp]>([
    ['another origin', { origin: 'https://evil.example' }, /origin/],
    ['another RP ID', { rpId: 'evil.example' }, /RP ID/],
    [
      'a replayed challenge',
      { challenge: Buffer.from('an old challenge').toString('base64url') },
      /challenge/,
    ],
    ['no user presence', { userPresent: false }, /not present/],
  ])('is refused with %s', async (_, knobs, reason) => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enrolled(authenticator);
    expect(await refused(assert(authenticator, credential, knobs))).toMatch(reason);
  });

  it('is refused with a tampered signature (verified: false, no exception)', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enrolled(authenticator);
    expect(await refused(assert(authenticator, credential, { corruptSignature: true }))).toBe(
      'verified: false',
    );
  });

  it('sends the chosen user handle, or none', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enrolled(authenticator);
    const other = Buffer.from('user-0002').toString('base64url');
    expect(
      (await assert(authenticator, credential, { userHandle: other })).response.response.userHandle,
    ).toBe(other);
    const without = await assert(authenticator, credential, { userHandle: null });
    expect(without.response.response).not.toHaveProperty('userHandle');
    expect(without.result.verified).toBe(true);
  });

  it('answers only for allowed credentials of the RP ID', async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    await enrolled(authenticator);
    const options = await generateAuthenticationOptions({
      rpID: RP_ID,
      allowCredentials: [{ id: Buffer.from('someone else').toString('base64url') }],
    });
    expect(() => authenticator.authenticate(options)).toThrow(/NotAllowedError/);
    const elsewhere = await generateAuthenticationOptions({ rpID: 'other.test' });
    expect(() => authenticator.authenticate(elsewhere)).toThrow(/NotAllowedError/);
  });
});
