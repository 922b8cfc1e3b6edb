import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logging/logger';

describe('logger', () => {
  it('never writes passwords, tokens or cookies', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      { password: 'hunter2hunter2', token: 'tok-123', req: { headers: { cookie: 'tenantry.sid=abc', authorization: 'Bearer xyz' }, body: { password: 'p' } } },
      'event',
    );
    const out = lines.join('');
    for (const secret of ['hunter2hunter2', 'tok-123', 'tenantry.sid=abc', 'Bearer xyz']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});
