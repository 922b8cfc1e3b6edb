import { fileSystemAdvice } from '../../../control-plane/doctor/file-system-advice';

describe('fileSystemAdvice', () => {
  it('warns of ext4 without a journal, naming it and what to use instead', () => {
    const advice = fileSystemAdvice({ mountPoint: '/', type: 'ext4', source: '/dev/vda', journal: false });
    expect(advice).toContain('DATA_DIR is on ext4 without a journal (/dev/vda at /)');
    expect(advice).toContain('-wal and -shm');
    expect(advice).toContain('A journaled file system');
  });

  it.each([
    ['ext4 with its journal', { mountPoint: '/', type: 'ext4', source: '/dev/vda', journal: true }],
    ['ext4 whose journal is not known', { mountPoint: '/', type: 'ext4', source: '/dev/vda' }],
    ['XFS', { mountPoint: '/srv', type: 'xfs', source: '/dev/sdb1' }],
    ['a system whose mounts cannot be read', undefined],
  ])('says nothing of %s', (_name, info) => {
    expect(fileSystemAdvice(info)).toBeUndefined();
  });
});
