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
  // Suggestions, with the column, filter and search they were asked for: Enter must not pick
  // from an answer to an earlier search (or another column's) still on screen.
  const [suggested, setSuggested] = useState<{ key: string; values: { value: string | null; count: number }[] }>({ key: '', values: [] });
  const options = suggested.values;
  const box = useRef<HTMLDivElement>(null);
  const filterKey = JSON.stringify(filter);
  const keyOf = (s: string) => JSON.stringify([column, filterKey, s]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const key = keyOf(search);
    const t = setTimeout(() => {
      void ask(search)
        .then((values) => live && setSuggested({ key, values }))
        .catch(() => live && setSuggested({ key, values: [] }));
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

  const ask = (s: string) => api.distinctValues({ column, filter, ...(s ? { search: s } : {}), limit: 30 }).then((r) => r.values);

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
            const typed = search.trim();
            const pick = (values: { value: string | null }[]) => {
              const exact = values.find((o) => o.value?.toLowerCase() === typed.toLowerCase());
              add(exact?.value ?? values[0]?.value ?? typed);
            };
            // The suggestions for this very search, asked now if they are not in yet.
            if (suggested.key === keyOf(search)) pick(options);
            else void ask(search).then(pick, () => add(typed));
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
