import { imageSize } from '../../../workspace/files/image-size';
import { FIXTURES, jpegDeclaring, pngDeclaring, webpDeclaring } from './file-fixtures';

/** A lossless WebP (VP8L) whose header declares width × height pixels. */
function losslessWebp(width: number, height: number): Buffer {
  const bits = Buffer.alloc(4);
  bits.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0);
  return Buffer.concat([Buffer.from('RIFF\x16\0\0\0WEBPVP8L\x05\0\0\0\x2f', 'latin1'), bits]);
}

describe('the size an image declares', () => {
  it('reads the header of each logo format', () => {
    expect(imageSize(FIXTURES.png, 'image/png')).toEqual({ width: 1, height: 1 });
    expect(imageSize(FIXTURES.jpeg, 'image/jpeg')).toEqual({ width: 1, height: 1 });
    expect(imageSize(FIXTURES.webp, 'image/webp')).toEqual({ width: 1, height: 1 });
    expect(imageSize(pngDeclaring(50_000, 40_000), 'image/png')).toEqual({ width: 50_000, height: 40_000 });
    expect(imageSize(jpegDeclaring(60_000, 300), 'image/jpeg')).toEqual({ width: 60_000, height: 300 });
    expect(imageSize(webpDeclaring(16_384, 200), 'image/webp')).toEqual({ width: 16_384, height: 200 });
    expect(imageSize(losslessWebp(16_384, 3), 'image/webp')).toEqual({ width: 16_384, height: 3 });
  });

  it('reads nothing from a header that is cut short, out of order or declares no pixels', () => {
    expect(imageSize(FIXTURES.png.subarray(0, 20), 'image/png')).toBeUndefined();
    expect(imageSize(pngDeclaring(0, 10), 'image/png')).toBeUndefined();
    // Image data (SOS) before any frame header.
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]), 'image/jpeg')).toBeUndefined();
    expect(imageSize(FIXTURES.jpeg.subarray(0, 16), 'image/jpeg')).toBeUndefined();
    expect(imageSize(jpegDeclaring(100, 0), 'image/jpeg')).toBeUndefined();
    expect(imageSize(FIXTURES.webp.subarray(0, 24), 'image/webp')).toBeUndefined();
    expect(imageSize(FIXTURES.gif, 'image/gif')).toBeUndefined();
  });
});
