/** A calm panel for a page with nothing to show yet, saying what to do next. */
export function EmptyState({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <h2 id="empty-state-title">{title}</h2>
      {children}
    </section>
  );
}
