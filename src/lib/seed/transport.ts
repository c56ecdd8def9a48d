import { stopName } from './places';
import type { TSchoolContext } from './school-context';
import type { TStaffPlan } from './staff';
import type { TEnrolledStudent } from './students';
import type { studentTransportTable, TRowOf, transportRouteTable, transportStopTable } from './tables';

type TRouteRow = TRowOf<typeof transportRouteTable>;
type TStopRow = TRowOf<typeof transportStopTable>;

export interface TTransportPlan {
  routes: TRouteRow[];
  stops: TStopRow[];
  /** The students who take the bus; their stop is chosen once stop ids exist. */
  riders: TEnrolledStudent[];
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * One bus route per driver, heading out from the school in its own
 * direction; stops are numbered from the far end, where the bus starts.
 */
export function planTransport(context: TSchoolContext, staff: TStaffPlan, enrolled: readonly TEnrolledStudent[]): TTransportPlan {
  const random = context.random('transport');
  const routes: TRouteRow[] = [];
  const stops: TStopRow[] = [];
  const drivers = staff.byPosition.DRIVER;
  drivers.forEach((driver, r) => {
    const route: TRouteRow = {
      id: context.id(),
      schoolId: context.schoolId,
      name: `Route ${r + 1}`,
      vehicleNumber: `${String.fromCharCode(65 + random.int(0, 25), 65 + random.int(0, 25))} ${random.int(100, 999)} ${String.fromCharCode(65 + random.int(0, 25))}`,
      driverName: `${driver.firstName} ${driver.lastName}`,
      capacity: random.pick([33, 41, 49, 57]),
      monthlyFee: context.money(random.pick([45, 50, 55, 60])),
    };
    routes.push(route);
    const bearing = (2 * Math.PI * (r + random.next() * 0.5)) / drivers.length;
    const count = random.int(6, 10);
    for (let sequence = 1; sequence <= count; sequence++) {
      // About 600 m between stops, the first one farthest from school.
      const distance = (count - sequence + 1) * 0.0055;
      stops.push({
        routeId: route.id,
        sequence,
        name: stopName(random),
        latitude: Number((context.city.latitude + 0.012 + distance * Math.sin(bearing) + random.normal(0, 0.001)).toFixed(6)),
        longitude: Number((context.city.longitude - 0.009 + distance * Math.cos(bearing) + random.normal(0, 0.001)).toFixed(6)),
        pickupAt: hhmm(7 * 60 + 5 + (sequence - 1) * random.int(4, 7)),
      });
    }
  });
  return { routes, stops, riders: enrolled.filter(() => random.chance(0.35)) };
}

/** Assigns every rider a stop, given the database ids of the stops in insertion order. */
export function studentTransportRows(
  context: TSchoolContext,
  plan: TTransportPlan,
  stopIds: readonly number[],
): TRowOf<typeof studentTransportTable>[] {
  const random = context.random('transport-riders');
  return plan.riders.map(({ row }) => ({ studentId: row.id, stopId: random.pick(stopIds) }));
}
