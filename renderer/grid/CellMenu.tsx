import { getState } from '../state/store';
import { cellText } from './cellText';
import { copyText, toTsv } from './clipboard';
import type { ColumnInfo } from './columnSets';
import { ENTITY_PIVOTS, pivotEntity, pivotValue } from './pivots';
import { Popover } from './Popover';
import type { TagInfo } from './gridTypes';

type Row = Record<string, unknown>;

/** Bookmarks are an ordinary tag with this name, created on first use. */
export const BOOKMARK_TAG = 'Bookmark';

export interface CellMenuTarget {
  x: number;
  y: number;
  row: Row;
  column: ColumnInfo;
}

/** Right-click on a cell: copy, quick pivots, time window, tag, details. */
export function CellMenu({
  target,
  visible,
  tags,
  onClose,
  onOpenDetail,
  onTag,
  onBookmark,
  onAround,
}: {
  target: CellMenuTarget;
  visible: ColumnInfo[];
  tags: TagInfo[];
  onClose: () => void;
  onOpenDetail: (rowId: number) => void;
  onTag: (tagId: number, rowId: number) => void;
  onBookmark: (rowId: number) => void;
  /** Sign-ins within ± minutes of this row's time, sorted by time with the row kept in view. */
  onAround: (rowId: number, timeIso: string, minutes: number) => void;
}) {
  const { row, column } = target;
  const zone = getState().timeZone;
  const value = row[column.name];
  const text = cellText(value, column.type, zone);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text || '(empty)';
  const act = (fn: () => void | Promise<void>) => () => {
    void fn();
    onClose();
  };
  const time = typeof row.time_utc === 'string' ? row.time_utc : null;
  return (
    <Popover anchor={{ x: target.x, y: target.y }} onClose={onClose} label="Cell actions" className="menu">
      <div role="menu" aria-label="Cell actions">
        <button role="menuitem" onClick={act(() => copyText(text))}>
          Copy cell
        </button>
        <button role="menuitem" onClick={act(() => copyText(toTsv([visible.map((c) => c.label), visible.map((c) => cellText(row[c.name], c.type, zone))])))}>
          Copy row (with headers)
        </button>
        <hr />
        <button role="menuitem" onClick={act(() => pivotValue(column.name, value, false))}>
          Filter to {column.label} = <span className="mono">{short}</span>
        </button>
        <button role="menuitem" onClick={act(() => pivotValue(column.name, value, true))}>
          Exclude {column.label} = <span className="mono">{short}</span>
        </button>
        <hr />
        {ENTITY_PIVOTS.map((p) => (
          <button key={p.column} role="menuitem" disabled={!row[p.column]} onClick={act(() => pivotEntity(p.column, row))}>
            Show everything from {p.label}
          </button>
        ))}
        {time && (
          <>
            <hr />
            {[5, 60].map((m) => (
              <button key={m} role="menuitem" onClick={act(() => onAround(Number(row.row_id), time, m))}>
                Around this sign-in ± {m} min
              </button>
            ))}
          </>
        )}
        <hr />
        <button role="menuitem" onClick={act(() => onBookmark(Number(row.row_id)))}>
          ★ Bookmark this sign-in
        </button>
        {tags
          .filter((t) => t.name !== BOOKMARK_TAG)
          .map((t) => (
          <button key={t.tagId} role="menuitem" onClick={act(() => onTag(t.tagId, Number(row.row_id)))}>
              <span className="tag-dot" style={{ background: t.color }} /> Tag as {t.name}
            </button>
          ))}
        <hr />
        <button role="menuitem" onClick={act(() => onOpenDetail(Number(row.row_id)))}>
          Open details <kbd>Enter</kbd>
        </button>
      </div>
    </Popover>
  );
}
