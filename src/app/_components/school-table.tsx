import type { TSchoolSummary } from '../_data/school-summaries';

const count = new Intl.NumberFormat('en');

/** The dashboard's table of schools and their record counts. */
export function SchoolTable({ schools }: { schools: TSchoolSummary[] }) {
  // Its own scroll box: on a phone the table scrolls, not the page.
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>Schools</caption>
        <thead>
          <tr>
            <th scope="col">School</th>
            <th scope="col">Code</th>
            <th scope="col" className="numeric">
              Students
            </th>
            <th scope="col" className="numeric">
              Staff
            </th>
            <th scope="col" className="numeric">
              Attendance records
            </th>
          </tr>
        </thead>
        <tbody>
          {schools.map((school) => (
            <tr key={school.id}>
              <th scope="row">{school.name}</th>
              <td>{school.code}</td>
              <td className="numeric">{count.format(school.students)}</td>
              <td className="numeric">{count.format(school.staff)}</td>
              <td className="numeric">{count.format(school.attendanceRecords)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
