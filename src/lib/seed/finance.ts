import { type InvoiceStatus, type PaymentMethod, Prisma } from '@/generated/prisma/client';
import { addDays, asDate, atTime, daysBetween, SEEDED_TODAY, utcDate } from './calendar';
import type { TRandom } from './random';
import type { TSchoolContext } from './school-context';
import type { TStructurePlan } from './structure';
import type { TEnrolledStudent } from './students';
import type { feeStructureTable, invoiceTable, paymentTable, TRowOf } from './tables';

type TFeeRow = TRowOf<typeof feeStructureTable>;
type TInvoiceRow = TRowOf<typeof invoiceTable>;
type TPaymentRow = TRowOf<typeof paymentTable>;

export interface TFinancePlan {
  fees: TFeeRow[];
  invoices: TInvoiceRow[];
  payments: TPaymentRow[];
}

const METHODS: readonly (readonly [PaymentMethod, number])[] = [
  ['CARD', 35],
  ['BANK_TRANSFER', 25],
  ['CASH', 20],
  ['MOBILE_MONEY', 15],
  ['CHEQUE', 5],
];
const CARD_BRANDS = ['visa', 'mastercard', 'amex'];
const MOBILE_PROVIDERS = ['M-Pesa', 'MTN MoMo', 'Airtel Money', 'Orange Money'];

function toCents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

function fromCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

function token(random: TRandom, length: number): string {
  let out = '';
  while (out.length < length) out += random.int(0, 35).toString(36);
  return out;
}

/**
 * What a payment gateway sent back. Card and mobile payments go through a
 * gateway, which usually answers with a JSON document but sometimes with an
 * empty body (stored as JSON `null`); cash, cheques and bank transfers never
 * touch one (database NULL).
 */
function gatewayResponse(random: TRandom, method: PaymentMethod, cents: number, currency: string, paidAt: Date) {
  if (method !== 'CARD' && method !== 'MOBILE_MONEY') return Prisma.DbNull;
  if (random.chance(0.12)) return Prisma.JsonNull;
  if (method === 'CARD') {
    return {
      id: `ch_${token(random, 24)}`,
      object: 'charge',
      status: 'succeeded',
      amount: cents,
      currency: currency.toLowerCase(),
      captured: true,
      card: {
        brand: random.pick(CARD_BRANDS),
        last4: String(random.int(0, 9999)).padStart(4, '0'),
        expMonth: random.int(1, 12),
        expYear: random.int(2026, 2030),
      },
      authorizationCode: String(random.int(100000, 999999)),
      created: Math.floor(paidAt.getTime() / 1000),
      metadata: {},
    };
  }
  return {
    provider: random.pick(MOBILE_PROVIDERS),
    transactionId: token(random, 10).toUpperCase(),
    resultCode: 0,
    resultDescription: 'The service request is processed successfully.',
    msisdn: `+${random.int(200, 299)}*****${random.int(100, 999)}`,
    amount: { value: fromCents(cents), currency },
    fees: null,
    completedAt: paidAt.toISOString(),
  };
}

function reference(random: TRandom, method: PaymentMethod): string | null {
  switch (method) {
    case 'CARD':
      return `ch_${token(random, 12)}`;
    case 'MOBILE_MONEY':
      return token(random, 10).toUpperCase();
    case 'BANK_TRANSFER':
      return `TRF ${random.int(10000000, 99999999)}`;
    case 'CHEQUE':
      return `Cheque no. ${random.int(100000, 999999)}`;
    case 'CASH':
      // The bursar does not always write a receipt number down.
      return random.chance(0.6) ? `RCPT-${random.int(1000, 9999)}` : null;
  }
}

/**
 * Fee structures for the year, and the invoices and payments of the first
 * term: tuition per grade, a registration fee for new students, a yearly
 * levy and monthly bus fees. Most invoices are paid, some in instalments,
 * some only partly, a few are overdue or void; next term's tuition is
 * drafted or just issued.
 */
export function planFinance(
  context: TSchoolContext,
  structure: TStructurePlan,
  enrolled: readonly TEnrolledStudent[],
  riders: ReadonlySet<string>,
): TFinancePlan {
  const random = context.random('finance');
  const fee = (
    name: string,
    euros: number,
    frequency: TFeeRow['frequency'],
    classId: string | null,
    lateFeeRate: string | null,
  ): TFeeRow => ({
    id: context.id(),
    schoolId: context.schoolId,
    academicYearId: structure.year.id,
    classId,
    name,
    amount: context.money(euros),
    frequency,
    lateFeeRate,
  });
  const tuition = new Map(
    structure.classes.map((schoolClass) => [
      schoolClass.id,
      fee(`Tuition – ${schoolClass.name}`, 950 + 60 * schoolClass.gradeLevel, 'TERMLY', schoolClass.id, '0.0150'),
    ]),
  );
  const registration = fee('Registration fee', 150, 'ONCE', null, null);
  const levy = fee('Library & ICT levy', 85, 'YEARLY', null, null);
  const bus = fee('School bus', 55, 'MONTHLY', null, '0.0125');
  const fees = [...tuition.values(), registration, levy, bus];

  const invoices: TInvoiceRow[] = [];
  const payments: TPaymentRow[] = [];
  const invoice = (studentId: string, structureFee: TFeeRow, issued: Date, dueDate: Date, status: InvoiceStatus) => {
    const amount = String(structureFee.amount);
    const row: TInvoiceRow = {
      id: context.id(),
      schoolId: context.schoolId,
      studentId,
      feeStructureId: structureFee.id,
      number: `INV-2526-${String(invoices.length + 1).padStart(6, '0')}`,
      issuedAt: atTime(issued, 9, random.int(0, 59)),
      dueDate,
      amount,
      status,
    };
    invoices.push(row);
    const total = toCents(amount);
    const instalments = status === 'PAID' ? (random.chance(0.8) ? [total] : [Math.round(total / 2), total - Math.round(total / 2)]) : [];
    if (status === 'PARTIALLY_PAID') instalments.push(Math.round((total * random.int(30, 70)) / 100));
    instalments.forEach((cents, i) => {
      const method = random.weighted(METHODS);
      const daysLater = Math.min(random.int(1, 20) + i * 30, daysBetween(issued, SEEDED_TODAY));
      const paidAt = atTime(addDays(issued, daysLater), random.int(8, 17), random.int(0, 59));
      payments.push({
        id: context.id(),
        invoiceId: row.id,
        amount: fromCents(cents),
        paidAt,
        method,
        reference: reference(random, method),
        gatewayResponse: gatewayResponse(random, method, cents, context.city.currency, paidAt),
      });
    });
  };
  const termOneStatus = () =>
    random.weighted<InvoiceStatus>([
      ['PAID', 78],
      ['PARTIALLY_PAID', 12],
      ['ISSUED', 9],
      ['VOID', 1],
    ]);

  for (const { row, section } of enrolled) {
    const tuitionFee = tuition.get(section.row.classId);
    if (!tuitionFee) throw new Error(`No tuition for class ${section.row.classId}`);
    if (asDate(row.createdAt).getUTCFullYear() === 2025)
      invoice(row.id, registration, utcDate('2025-08-04'), utcDate('2025-08-29'), 'PAID');
    invoice(row.id, tuitionFee, utcDate('2025-08-18'), utcDate('2025-09-15'), termOneStatus());
    invoice(row.id, levy, utcDate('2025-08-18'), utcDate('2025-09-30'), random.chance(0.88) ? 'PAID' : 'ISSUED');
    if (riders.has(row.id)) {
      for (const month of ['09', '10', '11'])
        invoice(row.id, bus, utcDate(`2025-${month}-01`), utcDate(`2025-${month}-15`), termOneStatus());
    }
    invoice(
      row.id,
      tuitionFee,
      utcDate('2025-11-17'),
      utcDate('2025-12-05'),
      random.weighted<InvoiceStatus>([
        ['DRAFT', 30],
        ['ISSUED', 60],
        ['PAID', 10],
      ]),
    );
  }
  return { fees, invoices, payments };
}
