import type { Gender } from '@/generated/prisma/client';
import { NAME_TRADITIONS, type TNameTradition } from './name-data';
import type { TRandom } from './random';

export interface TPersonName {
  firstName: string;
  lastName: string;
}

const traditionWeights = NAME_TRADITIONS.map((tradition) => [tradition, tradition.weight] as const);

/** A naming tradition, weighted by how common it is in the seeded schools. */
export function pickTradition(random: TRandom): TNameTradition {
  return random.weighted(traditionWeights);
}

/** A given name; OTHER picks from either list. */
export function pickGivenName(random: TRandom, tradition: TNameTradition, gender: Gender): string {
  if (gender === 'FEMALE') return random.pick(tradition.female);
  if (gender === 'MALE') return random.pick(tradition.male);
  return random.pick(random.chance(0.5) ? tradition.female : tradition.male);
}

/** A full name; about one in ten people carry names of a second tradition, as families mix. */
export function pickPersonName(random: TRandom, tradition: TNameTradition, gender: Gender): TPersonName {
  const given = random.chance(0.1) ? pickTradition(random) : tradition;
  return { firstName: pickGivenName(random, given, gender), lastName: random.pick(tradition.family) };
}

// Letters that Unicode decomposition does not reduce to ASCII.
const SPECIAL_LETTERS: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ı: 'i', þ: 'th', ð: 'd' };

/** "Łukasz O'Brien-Nguyễn" becomes "lukasz.obrien-nguyen": ASCII for e-mail local parts. */
export function asciiSlug(...parts: string[]): string {
  return parts
    .map((part) =>
      part
        .toLowerCase()
        .replace(/[łøæœßđıþð]/g, (letter) => SPECIAL_LETTERS[letter] ?? '')
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .replace(/[^a-z0-9 -]/g, '')
        .trim()
        .replace(/\s+/g, '-'),
    )
    .filter(Boolean)
    .join('.');
}
