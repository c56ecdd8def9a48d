import { describe, expect, it } from 'vitest';
import { jobPlacement } from './job-placement';

describe('jobPlacement', () => {
  it('runs the web server’s operations in a child process on PostgreSQL', () => {
    expect(jobPlacement({ kind: 'postgres', url: 'postgresql://erp@db.example/erp' })).toBe('child-process');
  });

  it('keeps them in the web server on the embedded database, which only one process may open', () => {
    expect(jobPlacement({ kind: 'pglite', dataDir: '/var/lib/erp/data' })).toBe('in-process');
    expect(jobPlacement({ kind: 'pglite-memory' })).toBe('in-process');
  });
});
