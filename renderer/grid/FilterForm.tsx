import type { ReactNode } from 'react';

/**
 * The form every column filter kind is typed into: Enter or Apply submits it (without
 * reloading the page), and the Apply button sits last, where each kind puts it.
 */
export function FilterForm({ className, onApply, children }: { className?: string; onApply: () => void; children: ReactNode }) {
  return (
    <form
      className={className ? `filter-form ${className}` : 'filter-form'}
      onSubmit={(e) => {
        e.preventDefault();
        onApply();
      }}
    >
      {children}
      <div className="form-actions">
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
    </form>
  );
}
