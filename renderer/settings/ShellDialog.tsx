import { useEffect, useRef, type ReactNode } from 'react';
import './dialog.css';

interface Props {
  title: string;
  icon?: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
}

/** A modal panel: Escape or the backdrop closes it; focus moves into it on open. */
export function ShellDialog({ title, icon, onClose, children, footer }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input, select, button:not(.close)')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="shell-dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <header>
          {icon}
          <h2>{title}</h2>
          <button className="icon-button close" onClick={onClose} aria-label={`Close ${title}`}>
            ×
          </button>
        </header>
        <div className="body">{children}</div>
        {footer && <footer>{footer}</footer>}
      </div>
    </div>
  );
}
