import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { getState } from '../state/store';
import { copyText } from './clipboard';
import { Modal } from './Popover';

/** The SQL of the grid's current view, with parameters inlined, to paste into the console. */
export function SqlDialog({ onClose }: { onClose: () => void }) {
  const [sql, setSql] = useState('');
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const { filter, sort } = getState();
    void api.viewSql({ filter, sort }).then((r) => setSql(r.sql));
  }, []);
  return (
    <Modal title="SQL of this view" onClose={onClose} wide>
      <textarea className="sql-text mono" readOnly value={sql} aria-label="SQL of this view" rows={Math.min(20, sql.split('\n').length + 2)} />
      <div className="form-actions">
        <span className="muted small">Runs as-is in the SQL console (read-only).</span>
        <button
          className="primary"
          onClick={() =>
            void copyText(sql).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            })
          }
        >
          {copied ? 'Copied' : 'Copy SQL'}
        </button>
      </div>
    </Modal>
  );
}
