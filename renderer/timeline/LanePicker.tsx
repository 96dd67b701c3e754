import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { FilterState } from '../../electron/api/schemas/filter';

interface Props {
  column: string;
  filter: FilterState;
  picked: string[];
  onChange(next: string[]): void;
}

const NOUN: Record<string, string> = { user_principal_name: 'users', ip_address: 'IP addresses', session_id: 'sessions' };

/** Pick specific users / IPs / sessions for the lanes instead of the top N (the chosen ones show as chips beside it). */
export function LanePicker({ column, filter, picked, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<{ value: string | null; count: number }[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const t = setTimeout(() => {
      void api
        .distinctValues({ column, filter, ...(search ? { search } : {}), limit: 30 })
        .then((r) => live && setOptions(r.values))
        .catch(() => live && setOptions([]));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, search, column, filterKey]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const add = (v: string) => {
    if (!picked.includes(v)) onChange([...picked, v].slice(0, 100));
    setSearch('');
  };

  return (
    <div className="tl-picker" ref={box}>
      <input
        aria-label={`Pick ${NOUN[column] ?? 'values'} for lanes`}
        placeholder={picked.length ? 'Add…' : `Pick ${NOUN[column] ?? 'values'}…`}
        value={search}
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setSearch(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && search.trim()) {
            const exact = options.find((o) => o.value?.toLowerCase() === search.trim().toLowerCase());
            add(exact?.value ?? options[0]?.value ?? search.trim());
          } else if (e.key === 'Escape') setOpen(false);
        }}
      />
      {open && options.length > 0 && (
        <ul className="tl-options" role="listbox" aria-label="Suggestions">
          {options
            .filter((o): o is { value: string; count: number } => o.value !== null)
            .map((o) => (
              <li key={o.value} role="option" aria-selected={picked.includes(o.value)}>
                <button className="plain" onClick={() => add(o.value)}>
                  <span className="tl-option-value">{o.value}</span>
                  <span className="muted">{o.count.toLocaleString('en-US')}</span>
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
