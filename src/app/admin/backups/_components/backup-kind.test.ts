import { describe, expect, it } from 'vitest';
import { BACKUP_KIND_LABELS, backupSizeWords, type TSizedBackup } from './backup-kind';

const FULL: TSizedBackup = {
  kind: 'FULL',
  sizeBytes: 1_185_289,
  logicalBytes: 9_000_000,
  storedBytes: 1_185_289,
  chunksNew: null,
  chunksReused: null,
};
const SNAPSHOT: TSizedBackup = {
  kind: 'INCREMENTAL',
  sizeBytes: 812,
  logicalBytes: 12_897_485,
  storedBytes: 215_040,
  chunksNew: 3,
  chunksReused: 140,
};

describe('backupSizeWords', () => {
  it('gives a full backup its file size, one part', () => {
    expect(backupSizeWords(FULL)).toEqual(['1.1 MiB']);
    expect(backupSizeWords({ ...FULL, sizeBytes: null })).toEqual(['—']);
  });

  it('gives a snapshot the data it holds, what it newly stored and its chunks, never its manifest size', () => {
    expect(backupSizeWords(SNAPSHOT)).toEqual(['12.3 MiB data', '210.0 KiB new', '3 new / 140 reused chunks']);
    expect(backupSizeWords({ ...SNAPSHOT, chunksNew: 0, chunksReused: 1 })).toContain('0 new / 1 reused chunk');
    expect(backupSizeWords({ ...SNAPSHOT, chunksNew: 1_200, chunksReused: 0 })).toContain('1,200 new / 0 reused chunks');
  });

  it('leaves out what a running snapshot does not know yet', () => {
    expect(backupSizeWords({ ...SNAPSHOT, storedBytes: null, chunksNew: null, chunksReused: null })).toEqual(['12.3 MiB data']);
    expect(backupSizeWords({ ...SNAPSHOT, logicalBytes: null, storedBytes: null, chunksNew: null, chunksReused: null })).toEqual(['—']);
  });
});

describe('BACKUP_KIND_LABELS', () => {
  it('calls an incremental backup a snapshot', () => {
    expect(BACKUP_KIND_LABELS).toEqual({ FULL: 'Full', INCREMENTAL: 'Snapshot' });
  });
});
