import { execFileSync } from 'node:child_process';

/**
 * Reads back the text of a QR code drawn as an SVG by the `qrcode` package: the SVG's path is
 * rasterised here (M/m/h commands, stroke width 1, as that renderer draws every dark run), and the
 * bitmap is decoded by an independent decoder (`qr`, an ES module, run in a child Node process
 * since Jest loads CommonJS only).
 */
export function decodeQrSvg(svg: string, scale = 4): string {
  const { size, dark } = modulesOf(svg);
  const width = size * scale;
  const rgb = Buffer.alloc(width * width * 3, 0xff);
  for (const [x, y] of dark)
    for (let row = y * scale; row < (y + 1) * scale; row++) {
      const start = (row * width + x * scale) * 3;
      rgb.fill(0, start, start + scale * 3);
    }
  const script = `
    import { decodeQR } from 'qr/decode.js';
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const data = new Uint8Array(Buffer.concat(chunks));
    process.stdout.write(decodeQR({ width: ${width}, height: ${width}, data }, { format: 'RGB' }));
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: rgb,
    cwd: __dirname,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

/** The dark modules (x, y) of the SVG and the side of its viewBox, in modules. */
export function modulesOf(svg: string): { size: number; dark: [number, number][] } {
  const box = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const stroke = /<path stroke="#000000" d="([^"]*)"\/>/.exec(svg);
  if (!box || box[1] !== box[2] || !stroke) throw new Error('Not an SVG of the qrcode package');
  const dark: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of stroke[1].matchAll(/([A-Za-z])([^A-Za-z]*)/g)) {
    const n = args
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (cmd === 'M') [x, y] = n;
    else if (cmd === 'm') [x, y] = [x + n[0], y + n[1]];
    else if (cmd === 'h' || cmd === 'H') {
      const end = cmd === 'h' ? x + n[0] : n[0];
      for (let col = x; col < end; col++) dark.push([col, Math.floor(y)]);
      x = end;
    } else throw new Error(`Unexpected path command ${cmd}`);
  }
  return { size: Number(box[1]), dark };
}
