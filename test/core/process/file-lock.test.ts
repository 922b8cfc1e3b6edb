import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileLock } from '../../../core/process/file-lock';

describe('FileLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is held by one holder at a time, even within one process, until released', () => {
    const file = path.join(dir, 'locks', 'x.lock');
    const first = FileLock.tryHold(file);
    expect(first).toBeDefined();
    expect(FileLock.tryHold(file)).toBeUndefined();
    expect(FileLock.isHeld(file)).toBe(true);
    first?.release();
    expect(FileLock.isHeld(file)).toBe(false);
    const second = FileLock.tryHold(file);
    expect(second?.held).toBe(true);
    second?.release({ remove: true });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('waits for its holder when asked to, and gives up after the wait', () => {
    const file = path.join(dir, 'y.lock');
    const holder = FileLock.tryHold(file);
    const started = Date.now();
    expect(FileLock.hold(file, 150)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    holder?.release();
  });

  it('writes nothing beside its file while held, so a holder that exits without releasing leaves no journal', () => {
    const file = path.join(dir, 'z.lock');
    const holder = FileLock.tryHold(file);
    expect(fs.readdirSync(dir)).toEqual(['z.lock']);
    expect(FileLock.tryHold(file)).toBeUndefined();
    holder?.release();
    expect(fs.readdirSync(dir)).toEqual(['z.lock']);
  });

  it('says a lock nobody ever took is not held, without creating it', () => {
    const file = path.join(dir, 'never.lock');
    expect(FileLock.isHeld(file)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });
});
