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
      {/* The width is the value itself: no class can express it. The bar is only rendered in the browser (after
          a poll), where React sets the style through the CSSOM, which the CSP allows; a style attribute in
          server-rendered HTML would be refused (src/lib/security/headers.ts). */}
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
