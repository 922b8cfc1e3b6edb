import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDirectory } from '../../../core/fs/make-directory';

describe('makeDirectory', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-mkdir-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('makes a folder with its missing parents, and is done when the folder is there already', () => {
    const dir = path.join(root, 'a', 'b', 'c');
    makeDirectory(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    fs.writeFileSync(path.join(dir, 'kept'), 'x');
    makeDirectory(dir);
    expect(fs.readdirSync(dir)).toEqual(['kept']);
  });

  it('gives the new folders the mode asked for', () => {
    const dir = path.join(root, 'private', 'outbox');
    makeDirectory(dir, { mode: 0o700 });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(dir)).mode & 0o777).toBe(0o700);
  });

  it('fails with ENOTDIR when a part of the path is a file, leaving the file as it was', () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => makeDirectory(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirectory(path.join(file, 'sub', 'dir'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('fails under a link to nothing instead of going round', () => {
    fs.symlinkSync(path.join(root, 'gone'), path.join(root, 'dangling'));
    expect(() => makeDirectory(path.join(root, 'dangling', 'data'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  (fs.existsSync('/proc/self') ? it : it.skip)('fails at once under a folder that takes no new folders (/proc), where a recursive mkdirSync never ends', () => {
    expect(() => makeDirectory('/proc/tenantry-nope/data')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => makeDirectory('/proc/tenantry-nope')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
