import { Writable } from 'node:stream';

/** A stream for a test's logger: every line written to it pushed onto `lines`, as written. */
export function linesInto(lines: string[]): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
}
