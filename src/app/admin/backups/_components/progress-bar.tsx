/**
 * A determinate progress bar. A `div` with ARIA rather than `<progress>`, so
 * the label and value text are under our control and look the same in every
 * browser.
 */
export function ProgressBar({ percent, label, valueText }: { percent: number; label: string; valueText: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-valuetext={valueText}
    >
      {/* The width is the value itself: no class can express it. */}
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
