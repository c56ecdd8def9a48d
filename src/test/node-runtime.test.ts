import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type TVersion = [number, number, number];

function parseVersion(text: string): TVersion {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return [major, minor, patch];
}

function compare(a: TVersion, b: TVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Reads the `>=x.y.z <N` form package.json uses; anything else fails loudly rather than passing unread. */
function satisfies(version: string, range: string): boolean {
  const current = parseVersion(version);
  return range.split(/\s+/).every((comparator) => {
    const match = /^(>=|<)(\d+(?:\.\d+){0,2})$/.exec(comparator);
    if (!match) throw new Error(`engines.node comparator "${comparator}" is not in the >=x.y.z / <N form this test reads`);
    const order = compare(current, parseVersion(match[2] as string));
    return match[1] === '>=' ? order >= 0 : order < 0;
  });
}

describe('Node runtime', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));

  it(`runs the tests on a Node that package.json's engines accept (this run: ${process.version})`, () => {
    // npm scripts find the `node` dev dependency's Node 24 first on their PATH; an older system Node must not slip in.
    expect(satisfies(process.versions.node, pkg.engines.node), `Node ${process.version} is outside engines.node ${pkg.engines.node}`).toBe(
      true,
    );
  });

  it('pins a Node (the node dev dependency) inside the engines range', () => {
    expect(satisfies(pkg.devDependencies.node, pkg.engines.node)).toBe(true);
    expect(satisfies('20.20.2', pkg.engines.node)).toBe(false);
  });
});
