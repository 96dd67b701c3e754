import { useState } from 'react';
import { api } from '../api/client';
import { addCondition, bumpDataVersion, useAppState } from '../state/store';
import { Popover } from './Popover';
import type { TagInfo } from './gridTypes';

export const TAG_COLORS = ['#d93025', '#e8710a', '#f9ab00', '#188038', '#1a73e8', '#9334e6', '#e52592', '#5f6368'];

function Swatches({ value, onChange, label }: { value: string; onChange: (c: string) => void; label: string }) {
  return (
    <span className="swatches" role="radiogroup" aria-label={label}>
      {TAG_COLORS.map((c) => (
        <button type="button" key={c} role="radio" aria-checked={c === value} aria-label={`Colour ${c}`} className={c === value ? 'swatch on' : 'swatch'} style={{ background: c }} onClick={() => onChange(c)} />
      ))}
    </span>
  );
}

/** Create, rename and recolour tags; tag or untag the selection or the whole filtered set; filter by a tag. */
export function TagsMenu({
  anchor,
  tags,
  selected,
  filteredCount,
  onClose,
  onChanged,
  onError,
}: {
  anchor: DOMRect;
  tags: TagInfo[];
  selected: number[];
  filteredCount: number;
  onClose: () => void;
  onChanged: (message: string) => void;
  onError: (message: string) => void;
}) {
  const filter = useAppState((s) => s.filter);
  const [name, setName] = useState('');
  const [color, setColor] = useState(TAG_COLORS[tags.length % TAG_COLORS.length]!);
  const [editing, setEditing] = useState<{ tagId: number; name: string; color: string } | null>(null);
  const run = async (fn: () => Promise<string>) => {
    try {
      const msg = await fn();
      bumpDataVersion();
      onChanged(msg);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Popover anchor={anchor} onClose={onClose} label="Tags" className="tags-pop">
      {tags.length === 0 && <p className="muted small">No tags yet. Create one below.</p>}
      <table className="tags-table">
        <tbody>
          {tags.map((t) => (
            <tr key={t.tagId}>
              <td>
                <span className="tag-dot" style={{ background: editing?.tagId === t.tagId ? editing.color : t.color }} />
              </td>
              {editing?.tagId === t.tagId ? (
                <td colSpan={3}>
                  <form
                    className="tag-edit"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const next = editing.name.trim();
                      if (!next) return;
                      void run(async () => {
                        await api.updateTag({ tagId: t.tagId, name: next, color: editing.color });
                        setEditing(null);
                        return next === t.name ? `Changed the colour of ${next}` : `Renamed tag ${t.name} to ${next}`;
                      });
                    }}
                  >
                    <input value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} aria-label={`New name for ${t.name}`} maxLength={80} autoFocus />
                    <Swatches value={editing.color} onChange={(c) => setEditing({ ...editing, color: c })} label={`Colour of ${t.name}`} />
                    <button type="submit" className="primary">
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                </td>
              ) : (
                <>
                  <td className="tag-name">{t.name}</td>
                  <td className="num muted">{t.rows.toLocaleString('en-US')}</td>
                  <td className="tag-actions">
                    <button disabled={!selected.length} onClick={() => void run(async () => `Tagged ${(await api.tagRows({ tagId: t.tagId, target: { rowIds: selected } })).added} row(s) as ${t.name}`)}>
                      Tag selected ({selected.length})
                    </button>
                    <button
                      disabled={!filteredCount}
                      onClick={() => void run(async () => `Tagged ${(await api.tagRows({ tagId: t.tagId, target: { filter } })).added.toLocaleString('en-US')} filtered row(s) as ${t.name}`)}
                      aria-label={`Tag all ${filteredCount} filtered rows as ${t.name}`}
                    >
                      Tag all filtered ({filteredCount.toLocaleString('en-US')})
                    </button>
                    <button disabled={!selected.length} onClick={() => void run(async () => `Removed ${t.name} from ${(await api.untagRows({ tagId: t.tagId, target: { rowIds: selected } })).removed} row(s)`)}>
                      Untag selected
                    </button>
                    <button
                      onClick={() => {
                        addCondition({ kind: 'tag', tagIds: [t.tagId] });
                        onClose();
                      }}
                    >
                      Show tagged
                    </button>
                    <button aria-label={`Edit tag ${t.name}`} onClick={() => setEditing({ tagId: t.tagId, name: t.name, color: t.color })}>
                      Edit
                    </button>
                    <button
                      className="plain danger"
                      aria-label={`Delete tag ${t.name}`}
                      onClick={() => {
                        if (window.confirm(`Delete the tag “${t.name}” and remove it from ${t.rows} row(s)?`)) void run(async () => (await api.deleteTag({ tagId: t.tagId }), `Deleted tag ${t.name}`));
                      }}
                    >
                      ×
                    </button>
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="tag-new"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          void run(async () => {
            const t = await api.createTag({ name: name.trim(), color });
            setName('');
            return `Created tag ${t.name}`;
          });
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New tag name" aria-label="New tag name" maxLength={80} />
        <Swatches value={color} onChange={setColor} label="Tag colour" />
        <button type="submit" className="primary">
          Create tag
        </button>
      </form>
    </Popover>
  );
}
