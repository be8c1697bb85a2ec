/**
 * Draws public/favicon.ico, the icon browsers ask for at /favicon.ico: the same "KI" on blue as favicon.svg,
 * at 16 and 32 pixels, as uncompressed 32-bit images (readable by every browser and system).
 * Run with `node --import tsx scripts/favicon-ico.ts` after changing the drawing.
 */
import { writeFileSync } from 'node:fs';

const BLUE = [0x0b, 0x5c, 0xad];
// "KI" in a 7-row pixel font: K is 4 columns wide, then a gap, then I.
const GLYPHS = [
  '1001.111',
  '1010..1.',
  '1100..1.',
  '1000..1.',
  '1100..1.',
  '1010..1.',
  '1001.111',
].map((row) => row.replace(/\./g, '0'));

function image(size: number): Buffer {
  const scale = size / 16;
  const radius = 3 * scale;
  const pixels = Buffer.alloc(size * size * 4);
  const glyphW = GLYPHS[0].length;
  const glyphH = GLYPHS.length;
  const left = Math.floor((16 - glyphW) / 2);
  const top = Math.floor((16 - glyphH) / 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Rounded corners: pixels outside the corner circles stay transparent.
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2;
      const gx = Math.floor(x / scale) - left;
      const gy = Math.floor(y / scale) - top;
      const ink = gy >= 0 && gy < glyphH && gx >= 0 && gx < glyphW && GLYPHS[gy][gx] === '1';
      const [r, g, b] = ink ? [255, 255, 255] : BLUE;
      // Rows are stored bottom-up, each pixel as blue, green, red, alpha.
      const at = ((size - 1 - y) * size + x) * 4;
      pixels.set([b, g, r, inside ? 255 : 0], at);
    }
  }
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour and mask together
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(pixels.length, 20);
  const mask = Buffer.alloc(Math.ceil(size / 32) * 4 * size); // all visible: the alpha channel decides
  return Buffer.concat([header, pixels, mask]);
}

const images = [16, 32].map((size) => ({ size, data: image(size) }));
const dir = Buffer.alloc(6 + 16 * images.length);
dir.writeUInt16LE(0, 0);
dir.writeUInt16LE(1, 2);
dir.writeUInt16LE(images.length, 4);
let offset = dir.length;
images.forEach(({ size, data }, i) => {
  const at = 6 + 16 * i;
  dir.writeUInt8(size, at);
  dir.writeUInt8(size, at + 1);
  dir.writeUInt16LE(1, at + 4);
  dir.writeUInt16LE(32, at + 6);
  dir.writeUInt32LE(data.length, at + 8);
  dir.writeUInt32LE(offset, at + 12);
  offset += data.length;
});
writeFileSync(new URL('../public/favicon.ico', import.meta.url), Buffer.concat([dir, ...images.map((i) => i.data)]));
