import { describe, expect, it } from 'vitest';
import { actorKindOf } from './audit-query';

describe('actorKindOf', () => {
  it.each([
    [{ actorId: 'u1', actorEmail: 'a@b.test', outcome: 'SUCCESS' }, 'user'],
    [{ actorId: 'u1', actorEmail: 'a@b.test', outcome: 'DENIED' }, 'user'],
    [{ actorId: null, actorEmail: null, outcome: 'DENIED' }, 'anonymous'],
    [{ actorId: null, actorEmail: 'guess@b.test', outcome: 'FAILURE' }, 'anonymous'],
    [{ actorId: null, actorEmail: null, outcome: 'SUCCESS' }, 'system'],
    [{ actorId: null, actorEmail: null, outcome: 'FAILURE' }, 'system'],
  ])('%j is %s', (row, kind) => {
    expect(actorKindOf(row)).toBe(kind);
  });
});
