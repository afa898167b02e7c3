import { MAX_PASSWORD_BYTES, normalizePassword, passwordProblems } from './password-policy';

const MIN = 12;

describe('passwordProblems', () => {
  it('accepts a long passphrase without composition rules', () => {
    expect(passwordProblems('correct horse battery staple', MIN)).toEqual([]);
    expect(passwordProblems('alllowercaseletters', MIN)).toEqual([]);
  });

  it(`refuses fewer than the minimum number of characters`, () => {
    expect(passwordProblems('Tr0ub4dor&3', MIN)).toEqual([
      'password must be at least 12 characters long',
    ]);
    expect(passwordProblems('Tr0ub4dor&3x', MIN)).toEqual([]);
    expect(passwordProblems('short-but-ok', 8)).toEqual([]);
  });

  it('counts characters, not bytes or UTF-16 units, for the minimum', () => {
    // 12 emoji: 12 characters, 24 UTF-16 units, 48 bytes.
    expect(passwordProblems('🐉🦄🌈🍕🎸🚀🧩🎲🦊🌵🍉🎈', MIN)).toEqual([]);
    // 11 emoji is too short even though it is 22 UTF-16 units long.
    expect(passwordProblems('🐉🦄🌈🍕🎸🚀🧩🎲🦊🌵🍉', MIN)).toContain(
      'password must be at least 12 characters long',
    );
  });

  it('accepts exactly 72 UTF-8 bytes and refuses 73 (never truncated)', () => {
    expect(MAX_PASSWORD_BYTES).toBe(72);
    const ascii72 = 'a-long-passphrase-'.repeat(4);
    expect(Buffer.byteLength(ascii72)).toBe(72);
    expect(passwordProblems(ascii72, MIN)).toEqual([]);
    expect(passwordProblems(`${ascii72}x`, MIN)).toEqual([
      'password must be at most 72 bytes in UTF-8',
    ]);
  });

  it('measures the byte limit in UTF-8: 25 characters of 3 bytes are too long', () => {
    const cjk = '密'.repeat(25); // 75 bytes
    expect(passwordProblems(cjk, MIN)).toContain('password must be at most 72 bytes in UTF-8');
    expect(passwordProblems('密码'.repeat(12), MIN)).toEqual([]); // 24 characters, 72 bytes
  });

  it('refuses very common passwords, whatever their case', () => {
    expect(passwordProblems('qwerty123456', MIN)).toEqual(['password is too common']);
    expect(passwordProblems('QWERTY123456', MIN)).toEqual(['password is too common']);
    expect(passwordProblems('1q2w3e4r5t6y', MIN)).toEqual(['password is too common']);
  });

  it('refuses one character repeated', () => {
    expect(passwordProblems('aaaaaaaaaaaaaaa', MIN)).toContain('password is too common');
    expect(passwordProblems('ßßßßßßßßßßßßß', MIN)).toContain('password is too common');
  });

  it("refuses the user's own email address or its local part", () => {
    const email = 'ana.lovelace@example.com';
    expect(passwordProblems('ana.lovelace@example.com', MIN, email)).toEqual([
      'password must not be your email address',
    ]);
    expect(passwordProblems('ANA.LOVELACE@EXAMPLE.COM', MIN, email)).toEqual([
      'password must not be your email address',
    ]);
    expect(passwordProblems('ana.lovelace', MIN, email)).toContain(
      'password must not be your email address',
    );
    expect(passwordProblems('ana.lovelace-2030!', MIN, email)).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(passwordProblems('aaaa', MIN)).toEqual([
      'password must be at least 12 characters long',
      'password is too common',
    ]);
  });

  it('allows any Unicode and compares in NFC', () => {
    const composed = 'café-au-lait-crème';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(normalizePassword(decomposed)).toBe(composed);
    expect(passwordProblems(decomposed, MIN)).toEqual([]);
    // 12 characters in NFC although 13 code points in NFD.
    const twelve = 'é'.normalize('NFD') + 'bcdefghijkl';
    expect([...twelve]).toHaveLength(13);
    expect(passwordProblems(twelve, 13)).toContain('password must be at least 13 characters long');
  });
});
