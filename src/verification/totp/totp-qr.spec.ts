import { create } from 'qrcode';
import { decodeQrSvg, modulesOf } from '../../../test/support/qr-decoder';
import { otpauthUri } from './totp';
import { totpQrSvg } from './totp-qr';

const uri = otpauthUri({
  issuer: 'ACME Cloud',
  accountName: 'ana+2fa@example.com',
  secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
});

describe('totpQrSvg', () => {
  it('is one self-contained SVG document: no script, no link, no fixed size', async () => {
    const svg = await totpQrSvg(uri);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"[^>]*>/,
    );
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(svg).not.toMatch(/<script|href=|on\w+=|width=|height=/i);
    expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/);
  });

  it('draws exactly the modules of the URI with a 4-module quiet zone', async () => {
    const svg = await totpQrSvg(uri);
    const symbol = create(uri, { errorCorrectionLevel: 'M' }).modules;
    const { size, dark } = modulesOf(svg);
    expect(size).toBe(symbol.size + 8);
    const drawn = new Set(dark.map(([x, y]) => `${x},${y}`));
    for (let y = 0; y < symbol.size; y++)
      for (let x = 0; x < symbol.size; x++)
        expect(drawn.has(`${x + 4},${y + 4}`)).toBe(symbol.get(y, x) === 1);
    expect(drawn.size).toBe([...symbol.data].filter(Boolean).length);
  });

  it('decodes back to the otpauth URI with an independent QR reader', async () => {
    expect(decodeQrSvg(await totpQrSvg(uri))).toBe(uri);
  });

  it('is the same for the same URI and differs for another secret', async () => {
    const other = uri.replace('secret=GEZDGNBV', 'secret=JBSWY3DP');
    expect(await totpQrSvg(uri)).toBe(await totpQrSvg(uri));
    expect(await totpQrSvg(other)).not.toBe(await totpQrSvg(uri));
  });

  it('refuses anything but an otpauth URI', async () => {
    await expect(totpQrSvg('https://example.com/')).rejects.toThrow(RangeError);
  });
});
