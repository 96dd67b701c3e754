import { api } from '../api/client';
import type { JobState } from '../../electron/api/methods/case';
import { useJob } from './useJob';

export function JobProgress({ jobId, onSettled }: { jobId: string; onSettled: (job: JobState) => void }) {
  const job = useJob(jobId, onSettled);
  const pct = job?.fraction != null ? Math.round(job.fraction * 100) : null;
  return (
    <div className="overlay" role="dialog" aria-label="Working">
      <div className="progress-card">
        <div>{job?.message ?? 'Starting…'}</div>
        <progress max={100} value={pct ?? undefined} aria-label="Progress" />
        <div className="muted">
          {(job?.rows ?? 0).toLocaleString('en-US')} rows · {(job?.rowsPerSecond ?? 0).toLocaleString('en-US')} rows/s
        </div>
        <button onClick={() => void api.cancelJob({ jobId })}>Cancel</button>
      </div>
    </div>
  );
}
