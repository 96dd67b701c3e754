import { useMemo, useState } from 'react';
import type { CountryRowDto } from '../../electron/api/methods/geo';

type Key = 'name' | 'count' | 'users' | 'failures' | 'firstUtc' | 'lastUtc';

const COLUMNS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Country' },
  { key: 'count', label: 'Sign-ins', numeric: true },
  { key: 'users', label: 'Users', numeric: true },
  { key: 'failures', label: 'Failed', numeric: true },
  { key: 'firstUtc', label: 'First seen' },
  { key: 'lastUtc', label: 'Last seen' },
];

/** Sign-ins per country under the filter; click a header to sort, a row to filter to it. */
export function CountryTable({ countries, total, fmt, onPick }: { countries: CountryRowDto[]; total: number; fmt(iso: string | null): string; onPick(c: CountryRowDto, mode: 'replace' | 'add'): void }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'count', desc: true });
  const rows = useMemo(() => {
    const out = [...countries];
    out.sort((a, b) => {
      const av = a[sort.key];
      const bv = b[sort.key];
      // Countries without any dated sign-in sort last either way.
      if (av === null || bv === null) return av === bv ? 0 : av === null ? 1 : -1;
      const c = typeof av === 'number' && typeof bv === 'number' ? av - bv : String(av).localeCompare(String(bv));
      return sort.desc ? -c : c;
    });
    return out;
  }, [countries, sort]);
  return (
    <section className="geo-countries" aria-label="Countries">
      <h3>
        Countries <span className="geo-muted">({countries.length})</span>
      </h3>
      <div className="geo-table-scroll">
        <table>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={c.numeric ? 'num' : ''}
                  aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                  onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.numeric === true }))}
                >
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </th>
              ))}
              <th aria-label="Add to filter" />
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.cc ?? '∅'} onClick={() => onPick(c, 'replace')} title={`Show the sign-ins from ${c.name} in the grid`} data-cc={c.cc ?? ''}>
                <td className="geo-country" title={c.name}>
                  {c.cc && <span className="geo-cc">{c.cc}</span>}
                  {c.name}
                </td>
                <td className="num">
                  {c.count.toLocaleString('en-US')}
                  <span className="geo-bar" style={{ width: `${Math.max(1, (c.count / Math.max(1, total)) * 100)}%` }} />
                </td>
                <td className="num">{c.users.toLocaleString('en-US')}</td>
                <td className={c.failures ? 'num geo-bad' : 'num'}>{c.failures.toLocaleString('en-US')}</td>
                <td className="geo-time" title={fmt(c.firstUtc)}>
                  {fmt(c.firstUtc).slice(0, 10)}
                </td>
                <td className="geo-time" title={fmt(c.lastUtc)}>
                  {fmt(c.lastUtc).slice(0, 10)}
                </td>
                <td className="geo-add">
                  <button
                    className="geo-plain"
                    aria-label={`Add ${c.name} to the current filter`}
                    title="Add to the current filter (stay on the map)"
                    onClick={(e) => {
                      e.stopPropagation();
                      onPick(c, 'add');
                    }}
                  >
                    +
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
