import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeFileSystem, fileSystemOf, type SystemFolders } from '../../../core/fs/file-system-of';

describe('fileSystemOf', () => {
  let root: string;
  let folders: SystemFolders;
  let journaled: string;
  let spaced: string;

  /** A /proc and a /sys of our own: the root on ext4 /dev/vda, a journaled ext4 and a tmpfs mounted under the temp folder. */
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-fs-')));
    folders = { proc: path.join(root, 'proc'), sys: path.join(root, 'sys') };
    journaled = path.join(root, 'journaled');
    spaced = path.join(root, 'with space');
    for (const dir of [
      journaled,
      spaced,
      path.join(folders.proc, 'self'),
      path.join(folders.proc, 'fs', 'jbd2', 'loop0-8'),
      path.join(folders.sys, 'dev', 'block'),
    ])
      fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(folders.proc, 'self', 'mountinfo'),
      [
        '22 27 0:21 / /proc rw,relatime - proc proc rw',
        '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
        `30 27 7:0 / ${journaled} rw,relatime shared:1 - ext4 /dev/loop0 rw`,
        `31 27 0:40 / ${spaced.replace(' ', '\\040')} rw,relatime - tmpfs tmpfs rw`,
        '',
      ].join('\n'),
    );
    fs.symlinkSync('../../devices/pci0000:00/virtio1/block/vda', path.join(folders.sys, 'dev', 'block', '254:0'));
    fs.symlinkSync('../../devices/virtual/block/loop0', path.join(folders.sys, 'dev', 'block', '7:0'));
    fs.mkdirSync(path.join(folders.sys, 'fs', 'ext4', 'vda'), { recursive: true });
    fs.writeFileSync(path.join(folders.sys, 'fs', 'ext4', 'vda', 'journal_task'), '<none>\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds an ext4 without a journal from its journal_task when jbd2 runs no journal for it', () => {
    const info = fileSystemOf(root, folders);
    expect(info).toEqual({ mountPoint: '/', type: 'ext4', source: '/dev/vda', journal: false });
    expect(describeFileSystem(info!)).toBe('ext4 without a journal (/dev/vda at /)');
  });

  it('takes the most specific mount, and a journal from the jbd2 entry of its device', () => {
    const info = fileSystemOf(path.join(journaled, 'data', 'not-yet-made'), folders);
    expect(info).toEqual({ mountPoint: journaled, type: 'ext4', source: '/dev/loop0', journal: true });
    expect(describeFileSystem(info!)).toBe(`ext4 with a journal (/dev/loop0 at ${journaled})`);
  });

  it('reads escaped mount points, and says nothing of a journal for other file systems', () => {
    expect(fileSystemOf(spaced, folders)).toEqual({ mountPoint: spaced, type: 'tmpfs', source: 'tmpfs' });
  });

  it('leaves the journal unknown when neither jbd2 nor journal_task tells', () => {
    fs.rmSync(path.join(folders.sys, 'fs'), { recursive: true });
    fs.rmSync(path.join(folders.proc, 'fs'), { recursive: true });
    expect(fileSystemOf(root, folders)).toEqual({ mountPoint: '/', type: 'ext4', source: '/dev/vda' });
  });

  it('answers nothing where the mounts cannot be read', () => {
    fs.rmSync(path.join(folders.proc, 'self', 'mountinfo'));
    expect(fileSystemOf(root, folders)).toBeUndefined();
  });

  it("reads this machine's own mounts", () => {
    expect(fileSystemOf(os.tmpdir())).toMatchObject({ type: expect.stringMatching(/^\S+$/), mountPoint: expect.stringMatching(/^\//) });
  });
});
