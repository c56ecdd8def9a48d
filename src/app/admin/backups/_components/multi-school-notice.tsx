import Link from 'next/link';

/**
 * What an administrator sees when the database holds several schools: a
 * whole-database backup covers all of them, so only a super administrator
 * may use it. `message` is the access policy's own explanation.
 */
export function MultiSchoolNotice({ message }: { message: string }) {
  return (
    <section aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">403 — Super administrators only</h1>
      <p>{message.replace(/^Forbidden: /, '')}.</p>
      <p>
        <Link href="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}
