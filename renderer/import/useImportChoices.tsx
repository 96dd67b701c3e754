import { useCallback, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { JobState } from '../../electron/api/methods/case';
import { ImportChoiceDialog } from './ImportChoiceDialog';
import { pendingChoices, type ImportAnswer, type PendingChoice } from './pendingChoices';

/**
 * Files an import refused for want of a log type or date order queue up here; the dialog
 * asks about one at a time and imports that file again with the answer (openFiles).
 */
export function useImportChoices(startJob: (p: Promise<{ jobId: string }>) => void, busy: boolean): { onSettled(job: JobState): void; dialog: ReactNode } {
  const [queue, setQueue] = useState<PendingChoice[]>([]);
  const answered = useRef(new Map<string, ImportAnswer>());
  const onSettled = useCallback((job: JobState) => {
    const next = pendingChoices(job, (path) => answered.current.get(path) ?? {});
    if (next.length) setQueue((q) => [...q, ...next]);
  }, []);
  const first = queue[0];
  const dialog =
    first && !busy ? (
      <ImportChoiceDialog
        key={`${first.choice.path}|${first.choice.kind}`}
        pending={first}
        more={queue.length - 1}
        onSkip={() => setQueue((q) => q.slice(1))}
        onChoose={(answer) => {
          answered.current.set(first.choice.path, answer);
          setQueue((q) => q.slice(1));
          startJob(api.openFiles({ paths: [first.choice.path], ...answer }));
        }}
      />
    ) : null;
  return { onSettled, dialog };
}
