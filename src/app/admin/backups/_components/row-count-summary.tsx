import { formatCount } from './format';

/** How many models are listed by name; the rest are summed in one line. */
const SHOWN_MODELS = 10;

/** Row counts by model: the largest listed, the others summed, and the total. */
export function RowCountSummary({
  rowCounts,
  caption = 'Rows in this backup',
}: {
  rowCounts: Record<string, number> | null;
  caption?: string;
}) {
  if (!rowCounts) return <p className="muted">This backup did not record its row counts.</p>;
  const sorted = Object.entries(rowCounts).sort(([, a], [, b]) => b - a);
  const shown = sorted.slice(0, SHOWN_MODELS);
  const rest = sorted.slice(SHOWN_MODELS);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  return (
    <table className="data-table compact-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="numeric">
            Rows
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map(([model, count]) => (
          <tr key={model}>
            <th scope="row">{model}</th>
            <td className="numeric">{formatCount(count)}</td>
          </tr>
        ))}
        {rest.length ? (
          <tr>
            <th scope="row" className="muted">
              {rest.length} other models
            </th>
            <td className="numeric">{formatCount(rest.reduce((sum, [, count]) => sum + count, 0))}</td>
          </tr>
        ) : null}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="numeric">{formatCount(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
