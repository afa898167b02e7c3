import { toString as qrToString } from 'qrcode';

/**
 * The QR code an authenticator app scans, as an SVG document, made on the server (no third-party
 * service ever sees the secret inside the URI). Black modules on a white background with the
 * 4-module quiet zone the QR standard asks for; the SVG has a viewBox and no fixed size, so a page
 * scales it. It carries the TOTP secret: never log it.
 */
export async function totpQrSvg(uri: string): Promise<string> {
  if (!uri.startsWith('otpauth://')) throw new RangeError('Not an otpauth URI');
  const svg = await qrToString(uri, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return svg.trim();
}
