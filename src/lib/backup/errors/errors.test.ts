import { describe, expect, it } from 'vitest';
import { clause, sentences } from './errors';

describe('sentences', () => {
  it('puts exactly one full stop after each part, whatever the part ended with', () => {
    expect(sentences('Restore failed: Server has closed the connection.', 'Nothing was changed')).toBe(
      'Restore failed: Server has closed the connection. Nothing was changed.',
    );
    expect(sentences('A..', ' B. ', 'C')).toBe('A. B. C.');
  });

  it('keeps a question or exclamation mark and skips empty parts', () => {
    expect(sentences('Really?', '', 'Yes!')).toBe('Really? Yes!');
  });
});

describe('clause', () => {
  it('lower-cases a sentence to continue another, but not an acronym', () => {
    expect(clause('Not enough disk space')).toBe('not enough disk space');
    expect(clause('ENOSPC on /backups')).toBe('ENOSPC on /backups');
  });
});
