import { describe, expect, it } from 'vitest';
import { NAME_TRADITIONS } from './name-data';
import { asciiSlug } from './names';

describe('names', () => {
  it('include the non-ASCII and apostrophe spellings the app must survive', () => {
    const all = NAME_TRADITIONS.flatMap((tradition) => [...tradition.female, ...tradition.male, ...tradition.family]);
    expect(all.length).toBeGreaterThan(500);
    for (const name of ['Zoë', 'Łukasz', 'Nguyễn', "O'Brien", 'Søren', 'Şahin', 'Dvořák']) expect(all).toContain(name);
  });

  it('turn into ASCII e-mail local parts', () => {
    expect(asciiSlug('Łukasz', "O'Brien")).toBe('lukasz.obrien');
    expect(asciiSlug('Zoë', 'Nguyễn')).toBe('zoe.nguyen');
    expect(asciiSlug('María José', 'de la Cruz')).toBe('maria-jose.de-la-cruz');
    expect(asciiSlug('Søren', 'Weiß')).toBe('soren.weiss');
    expect(asciiSlug('Đức', 'Yılmaz')).toBe('duc.yilmaz');
  });
});
