import type { TRandom } from './random';

/** A city a school can be in, with what its data depends on. */
export interface TCity {
  name: string;
  country: string;
  timezone: string;
  latitude: number;
  longitude: number;
  /** International dialling code without the plus. */
  dialCode: string;
  currency: string;
  /** Units of the currency per euro, roughly: keeps fees and salaries plausible in every currency. */
  perEuro: number;
}

export const CITIES: readonly TCity[] = [
  {
    name: 'Dublin',
    country: 'Ireland',
    timezone: 'Europe/Dublin',
    latitude: 53.3498,
    longitude: -6.2603,
    dialCode: '353',
    currency: 'EUR',
    perEuro: 1,
  },
  {
    name: 'Manchester',
    country: 'United Kingdom',
    timezone: 'Europe/London',
    latitude: 53.4808,
    longitude: -2.2426,
    dialCode: '44',
    currency: 'GBP',
    perEuro: 0.85,
  },
  {
    name: 'Kraków',
    country: 'Poland',
    timezone: 'Europe/Warsaw',
    latitude: 50.0647,
    longitude: 19.945,
    dialCode: '48',
    currency: 'PLN',
    perEuro: 4.3,
  },
  {
    name: 'Lyon',
    country: 'France',
    timezone: 'Europe/Paris',
    latitude: 45.764,
    longitude: 4.8357,
    dialCode: '33',
    currency: 'EUR',
    perEuro: 1,
  },
  {
    name: 'München',
    country: 'Germany',
    timezone: 'Europe/Berlin',
    latitude: 48.1351,
    longitude: 11.582,
    dialCode: '49',
    currency: 'EUR',
    perEuro: 1,
  },
  {
    name: 'Göteborg',
    country: 'Sweden',
    timezone: 'Europe/Stockholm',
    latitude: 57.7089,
    longitude: 11.9746,
    dialCode: '46',
    currency: 'SEK',
    perEuro: 11,
  },
  {
    name: 'Lisboa',
    country: 'Portugal',
    timezone: 'Europe/Lisbon',
    latitude: 38.7223,
    longitude: -9.1393,
    dialCode: '351',
    currency: 'EUR',
    perEuro: 1,
  },
  {
    name: 'İzmir',
    country: 'Türkiye',
    timezone: 'Europe/Istanbul',
    latitude: 38.4237,
    longitude: 27.1428,
    dialCode: '90',
    currency: 'TRY',
    perEuro: 35,
  },
  {
    name: 'Nairobi',
    country: 'Kenya',
    timezone: 'Africa/Nairobi',
    latitude: -1.2921,
    longitude: 36.8219,
    dialCode: '254',
    currency: 'KES',
    perEuro: 140,
  },
  {
    name: 'Accra',
    country: 'Ghana',
    timezone: 'Africa/Accra',
    latitude: 5.6037,
    longitude: -0.187,
    dialCode: '233',
    currency: 'GHS',
    perEuro: 16,
  },
  {
    name: 'Lagos',
    country: 'Nigeria',
    timezone: 'Africa/Lagos',
    latitude: 6.5244,
    longitude: 3.3792,
    dialCode: '234',
    currency: 'NGN',
    perEuro: 1600,
  },
  {
    name: 'Pune',
    country: 'India',
    timezone: 'Asia/Kolkata',
    latitude: 18.5204,
    longitude: 73.8567,
    dialCode: '91',
    currency: 'INR',
    perEuro: 90,
  },
  {
    name: 'Hồ Chí Minh City',
    country: 'Vietnam',
    timezone: 'Asia/Ho_Chi_Minh',
    latitude: 10.8231,
    longitude: 106.6297,
    dialCode: '84',
    currency: 'VND',
    perEuro: 27000,
  },
  {
    name: 'Auckland',
    country: 'New Zealand',
    timezone: 'Pacific/Auckland',
    latitude: -36.8485,
    longitude: 174.7633,
    dialCode: '64',
    currency: 'NZD',
    perEuro: 1.8,
  },
  {
    name: 'Toronto',
    country: 'Canada',
    timezone: 'America/Toronto',
    latitude: 43.6532,
    longitude: -79.3832,
    dialCode: '1',
    currency: 'CAD',
    perEuro: 1.5,
  },
  {
    name: 'Ciudad de México',
    country: 'Mexico',
    timezone: 'America/Mexico_City',
    latitude: 19.4326,
    longitude: -99.1332,
    dialCode: '52',
    currency: 'MXN',
    perEuro: 20,
  },
  {
    name: 'Dubai',
    country: 'United Arab Emirates',
    timezone: 'Asia/Dubai',
    latitude: 25.2048,
    longitude: 55.2708,
    dialCode: '971',
    currency: 'AED',
    perEuro: 4,
  },
  {
    name: 'Kuala Lumpur',
    country: 'Malaysia',
    timezone: 'Asia/Kuala_Lumpur',
    latitude: 3.139,
    longitude: 101.6869,
    dialCode: '60',
    currency: 'MYR',
    perEuro: 5,
  },
];

const STREETS = [
  'Station Road',
  'Church Street',
  'Mill Lane',
  'Park Avenue',
  'Victoria Road',
  'Riverside Drive',
  'Orchard Close',
  'Maple Grove',
  'Harbour View',
  'Market Square',
  'Kingfisher Way',
  'Chestnut Walk',
  'Hillcrest Road',
  'Willow Crescent',
  'Elm Terrace',
  'Meadow Lane',
  'Garden Street',
  'Lakeside Road',
  'Cedar Court',
  'Bridge Street',
  'School Lane',
  'Oak Avenue',
  'Sunset Boulevard',
  'Union Street',
];

const SCHOOL_NAME_STEMS = [
  'Riverside',
  'Greenfield',
  'Maplewood',
  'St. Brigid’s',
  'Oakridge',
  'Lakeview',
  'Hillside',
  'Northgate',
  'Kingsbridge',
  'Westbrook',
  'Sunrise',
  'Harmony',
  'Cedar Grove',
  'Bellevue',
  'Silver Birch',
  'Marie Curie',
  'Nelson Mandela',
  'Rabindranath Tagore',
  'Ada Lovelace',
  'Wangari Maathai',
];
const SCHOOL_NAME_KINDS = ['Academy', 'International School', 'Community School', 'Primary & Middle School', 'School', 'Grammar School'];

/** A school name such as "Maplewood International School, Lyon"; `index` keeps names distinct across schools. */
export function schoolName(random: TRandom, city: TCity, index: number): string {
  const stem = SCHOOL_NAME_STEMS[index % SCHOOL_NAME_STEMS.length] ?? 'Central';
  return `${stem} ${random.pick(SCHOOL_NAME_KINDS)}, ${city.name}`;
}

/** A street address in the city. */
export function streetAddress(random: TRandom, city: TCity): string {
  const postcode = String(random.int(10000, 99999));
  return `${random.int(1, 240)} ${random.pick(STREETS)}, ${postcode} ${city.name}, ${city.country}`;
}

/** A phone number in international format. */
export function phoneNumber(random: TRandom, city: TCity): string {
  return `+${city.dialCode} ${random.int(20, 99)} ${random.int(100, 999)} ${String(random.int(0, 9999)).padStart(4, '0')}`;
}

/** The name of a bus stop near the school. */
export function stopName(random: TRandom): string {
  const street = random.pick(STREETS);
  return random.chance(0.5) ? `${street} / ${random.pick(STREETS)}` : `${street} (${random.pick(['north', 'south', 'east', 'west'])})`;
}
