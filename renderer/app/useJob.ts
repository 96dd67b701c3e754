import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { JobState } from '../../electron/api/methods/case';

/** Poll a background job until it settles. */
export function useJob(jobId: string | null, onSettled: (job: JobState) => void): JobState | null {
  const [job, setJob] = useState<JobState | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const tick = async () => {
      try {
        const s = await api.jobStatus({ jobId });
        if (stopped) return;
        setJob(s);
        if (s.state === 'running') setTimeout(tick, 200);
        else onSettled(s);
      } catch (err) {
        if (!stopped) onSettled({ id: jobId, kind: 'unknown', state: 'failed', message: 'Failed', rows: 0, rowsPerSecond: 0, fraction: null, error: String(err) });
      }
    };
    void tick();
    return () => {
      stopped = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId]);
  return job;
}
