import { useState } from 'react';
import { api } from '../api/client';
import type { JobState } from '../../electron/api/methods/case';

const KIND_LABEL: Record<string, string> = {
  import: 'Import',
  demo: 'Demo case',
  verify: 'Verification',
  findings: 'Findings',
  report: 'Report',
};

/** Jobs that change the case under the views: while one runs, the views wait behind it. */
export const BLOCKING_KINDS = new Set(['import', 'demo']);
/** Jobs that stop when asked (and leave the case as it was); others show no Cancel that would not work. */
const CANCELLABLE_KINDS = new Set(['import', 'demo', 'findings', 'report']);
/** Jobs that read rows; the others (findings, report) go step by step and show no row counts. */
const ROW_KINDS = new Set(['import', 'demo']);

const num = (n: number) => Math.round(n).toLocaleString('en-US');

function bytesText(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

function etaText(s: number): string {
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Bytes read per second so far, from the job's start. */
function bytesRate(job: JobState): string | null {
  const secs = job.startedAt ? (Date.now() - Date.parse(job.startedAt)) / 1000 : 0;
  return secs >= 1 && job.bytesDone ? `${bytesText(job.bytesDone / secs)}/s` : null;
}

/** One running job: what it does, how far it is (rows, rate, bytes, time left) and a way to stop it. */
export function JobCard({ job, label }: { job: JobState; label?: string }) {
  const [cancelling, setCancelling] = useState(false);
  const pct = job.fraction != null ? Math.round(job.fraction * 100) : null;
  const facts = ROW_KINDS.has(job.kind) ? [`${num(job.rows)} rows`, `${num(job.rowsPerSecond)} rows/s`] : [];
  if (job.bytesTotal) {
    facts.push(`${bytesText(job.bytesDone ?? 0)} of ${bytesText(job.bytesTotal)}`);
    const rate = bytesRate(job);
    if (rate) facts.push(rate);
  }
  facts.push(job.etaSeconds != null ? `about ${etaText(job.etaSeconds)} left` : (job.fraction ?? 0) >= 1 ? 'finishing' : 'time left not known yet');
  return (
    <div className="progress-card" role="group" aria-label={label ?? `${KIND_LABEL[job.kind] ?? job.kind} progress`} data-job-kind={job.kind}>
      <div className="job-head">
        <strong>{KIND_LABEL[job.kind] ?? job.kind}</strong>
        {pct !== null && <span className="muted">{pct}%</span>}
      </div>
      <div className="job-message">{job.message}</div>
      <progress max={100} value={pct ?? undefined} aria-label="Progress" />
      <div className="muted job-facts" data-testid="job-facts">
        {facts.join(' · ')}
      </div>
      {CANCELLABLE_KINDS.has(job.kind) && (
        <button
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            void api.cancelJob({ jobId: job.id }).catch(() => setCancelling(false));
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
    </div>
  );
}

/**
 * Every running job, in every window: an import or the demo holds the views behind a
 * modal card (the case is changing under them); other jobs show in a corner.
 */
export function JobsProgress({ jobs }: { jobs: JobState[] }) {
  if (!jobs.length) return null;
  const blocking = jobs.some((j) => BLOCKING_KINDS.has(j.kind));
  const cards = jobs.map((j) => <JobCard key={j.id} job={j} />);
  return blocking ? (
    <div className="overlay" role="dialog" aria-label="Working">
      <div className="job-stack">{cards}</div>
    </div>
  ) : (
    <div className="job-corner" role="status" aria-label="Running jobs">
      {cards}
    </div>
  );
}
