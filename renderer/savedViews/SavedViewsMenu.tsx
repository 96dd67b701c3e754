import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { SavedViewInfo, ViewStateInput } from '../../electron/api/methods/views';
import { Popover } from '../grid/Popover';
import './savedViews.css';

/**
 * Save the grid's current view under a name, bring one back, rename or delete one. The
 * grid supplies its state and applies a view, since it owns the column layout.
 */
export function SavedViewsMenu({
  anchor,
  current,
  onApply,
  onClose,
  onNotice,
}: {
  anchor: DOMRect;
  current: () => ViewStateInput;
  onApply: (view: SavedViewInfo) => void;
  onClose: () => void;
  onNotice: (text: string, bad?: boolean) => void;
}) {
  const [views, setViews] = useState<SavedViewInfo[] | null>(null);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = () =>
    api
      .listSavedViews({})
      .then(setViews)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  useEffect(() => void reload(), []);

  const run = async (fn: () => Promise<string>) => {
    try {
      setError(null);
      onNotice(await fn());
      await reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Popover anchor={anchor} onClose={onClose} label="Saved views" className="views-pop">
      <form
        className="views-save"
        onSubmit={(e) => {
          e.preventDefault();
          const n = name.trim();
          if (!n) return;
          void run(async () => {
            const v = await api.saveView({ name: n, state: current() });
            setName('');
            return `Saved view “${v.name}”`;
          });
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Name this view" aria-label="Name of the new view" maxLength={120} autoFocus />
        <button type="submit" className="primary" disabled={!name.trim()}>
          Save current view
        </button>
      </form>
      {error && (
        <p className="views-error" role="alert">
          {error}
        </p>
      )}
      {views === null ? (
        <p className="muted small">Loading…</p>
      ) : views.length === 0 ? (
        <p className="muted small">No saved views yet: set filters, sort and columns, then name the view above.</p>
      ) : (
        <ul className="views-list" aria-label="Saved views">
          {views.map((v) => (
            <li key={v.id}>
              {renaming?.id === v.id ? (
                <form
                  className="views-rename"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void run(async () => {
                      const r = await api.renameView({ id: v.id, name: renaming.name.trim() });
                      setRenaming(null);
                      return `Renamed view “${v.name}” to “${r.name}”`;
                    });
                  }}
                >
                  <input value={renaming.name} onChange={(e) => setRenaming({ id: v.id, name: e.target.value })} aria-label={`New name for ${v.name}`} maxLength={120} autoFocus />
                  <button type="submit" className="primary" disabled={!renaming.name.trim()}>
                    Rename
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <button
                    className="views-apply"
                    aria-label={`Apply ${v.name}`}
                    title={`${v.filterText}\nSorted by ${v.sortText}\nTimes in ${v.state.timeZone}`}
                    onClick={() =>
                      void api
                        .applyView({ id: v.id })
                        .then((applied) => {
                          onApply(applied);
                          onNotice(`Applied view “${applied.name}”`);
                          onClose();
                        })
                        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
                    }
                  >
                    <span className="views-name">{v.name}</span>
                    <span className="views-filter muted">{v.filterText}</span>
                  </button>
                  <button className="small" aria-label={`Rename ${v.name}`} onClick={() => setRenaming({ id: v.id, name: v.name })}>
                    Rename
                  </button>
                  <button
                    className="small"
                    aria-label={`Delete ${v.name}`}
                    onClick={() => {
                      if (!window.confirm(`Delete the saved view “${v.name}”?`)) return;
                      void run(async () => {
                        await api.deleteView({ id: v.id });
                        return `Deleted view “${v.name}”`;
                      });
                    }}
                  >
                    Delete
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
