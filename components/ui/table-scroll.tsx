/**
 * A wide table's frame: the table scrolls sideways inside it, never the page. Keyboard users can scroll it
 * (tabIndex 0 with a name, as axe's scrollable-region-focusable asks) when it has a label.
 */
export function TableScroll({ label, children, className = "" }: { label?: string; children: React.ReactNode; className?: string }) {
  return (
    <div
      className={`relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900 ${className}`}
      {...(label ? { role: "region", "aria-label": label, tabIndex: 0 } : {})}
    >
      {children}
    </div>
  );
}
