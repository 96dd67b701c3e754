import { useEffect, useRef, useState } from 'react';
import type { CustomCellRendererProps, CustomInnerHeaderProps } from 'ag-grid-react';
import { splitMatches, type HighlightTerms } from './highlight';
import { cellText } from './cellText';
import { useAppState } from '../state/store';
import type { ErrorMeaningInfo, TagInfo } from './gridTypes';
import { visibleNodes } from '../text/visibleText';

/** Shared with every cell and header through AG Grid's context. */
export interface GridContext {
  terms: HighlightTerms;
  zone: string;
  errors: Map<number, ErrorMeaningInfo>;
  tags: Map<number, TagInfo>;
  openFilter(column: string, anchor: HTMLElement): void;
}

type Row = Record<string, unknown>;

/** Text with search matches marked. React renders it as text: markup in data stays inert. */
export function TextCell(props: CustomCellRendererProps<Row, unknown, GridContext> & { colType: string }) {
  const column = props.colDef?.field ?? '';
  const ctx = props.context;
  const text = cellText(props.value, props.colType, ctx.zone);
  const terms = [...ctx.terms.any, ...(ctx.terms.byColumn[column] ?? [])];
  if (column === 'status' && text) {
    return (
      <span className={`status status-${text}`}>
        <span className="dot" aria-hidden="true" />
        <Marked text={text} terms={terms} />
      </span>
    );
  }
  if (column === 'error_code' && text) {
    const meaning = ctx.errors.get(Number(text));
    return (
      <span className={text === '0' ? 'code ok' : 'code bad'} title={meaning ? meaning.meaning : `Code ${text} is not in the offline table`}>
        <Marked text={text} terms={terms} />
      </span>
    );
  }
  return <Marked text={text} terms={terms} />;
}

export function Marked({ text, terms }: { text: string; terms: string[] }) {
  const runs = splitMatches(text, terms);
  if (runs.length === 1 && !runs[0]!.hit) return <>{visibleNodes(text)}</>;
  return (
    <>
      {runs.map((r, i) => (r.hit ? <mark key={i}>{visibleNodes(r.text)}</mark> : <span key={i}>{visibleNodes(r.text)}</span>))}
    </>
  );
}

/** Tags (coloured dots) and a note marker for the row. */
export function TagsCell(props: CustomCellRendererProps<Row, unknown, GridContext>) {
  const data = props.data;
  if (!data) return null;
  const ids = (data._tags as number[] | undefined) ?? [];
  const notes = Number(data._notes ?? 0);
  return (
    <span className="tags-cell">
      {ids.map((id) => {
        const t = props.context.tags.get(id);
        return <span key={id} className="tag-dot" style={{ background: t?.color ?? '#888' }} title={t?.name ?? `tag ${id}`} aria-label={`tag ${t?.name ?? id}`} />;
      })}
      {notes > 0 && (
        <span className="note-mark" title={`${notes} note${notes === 1 ? '' : 's'}`} aria-label={`${notes} notes`}>
          ✎
        </span>
      )}
    </span>
  );
}

/** Header label plus our own filter button (AG Grid's set filter is not in Community). */
export function HeaderInner(props: CustomInnerHeaderProps<Row, GridContext>) {
  const column = props.column.getColId();
  const active = useAppState((s) => s.filter.conditions.some((c) => 'column' in c && c.column === column));
  const btn = useRef<HTMLButtonElement>(null);
  const [label, setLabel] = useState(props.displayName);
  useEffect(() => setLabel(props.displayName), [props.displayName]);
  return (
    <span className="hdr">
      <span className="hdr-label" title={label}>
        {label}
      </span>
      <button
        ref={btn}
        className={active ? 'hdr-filter active' : 'hdr-filter'}
        aria-label={`Filter ${label}`}
        title={`Filter ${label}`}
        data-filter-column={column}
        onMouseDown={(e) => e.stopPropagation()}
        onClick={(e) => {
          e.stopPropagation();
          e.preventDefault();
          props.context.openFilter(column, btn.current!);
        }}
      >
        <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
          <path d="M1.5 2h13l-5 6.2V14l-3-1.6V8.2z" fill="currentColor" />
        </svg>
      </button>
    </span>
  );
}
