import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { JobState } from '../../electron/api/methods/case';
import { publishLiveJobs } from './liveJobsStore';

/** While a job runs the page follows it closely; otherwise a slower beat still notices one started elsewhere. */
const BUSY_MS = 250;
const IDLE_MS = 1000;

export interface LiveJobs {
  /** Running jobs, whoever started them (this window, another, the command line). */
  jobs: JobState[];
  /** The open case's name as of the last poll (a rename in any window). */
  caseName: string | null;
  /** Follow a job this window started, so its end is seen even if it ends before the next poll. */
  watch(jobId: string): void;
  /** The views were just drawn from this revision (the window refreshed itself). */
  markSeen(revision: number): void;
}

/**
 * Polls the engine's live state through either transport: every running job shows in
 * every window, a job's end is reported once with its final state, and a new case
 * revision (another case open, an import ended) asks the views to re-query.
 */
export function useLiveJobs(onRevision: () => void, onSettled: (job: JobState) => void): LiveJobs {
  const [jobs, setJobs] = useState<JobState[]>([]);
  const [caseName, setCaseName] = useState<string | null>(null);
  const watched = useRef(new Set<string>());
  const seen = useRef<number | null>(null);
  const handlers = useRef({ onRevision, onSettled });
  handlers.current = { onRevision, onSettled };
  const wake = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      timer = null;
      try {
        const live = await api.liveState({});
        if (stopped) return;
        setJobs(live.jobs);
        setCaseName(live.caseName);
        publishLiveJobs({ jobs: live.jobs, settled: live.settled });
        const running = new Set(live.jobs.map((j) => j.id));
        for (const id of running) watched.current.add(id);
        for (const id of [...watched.current]) {
          if (running.has(id)) continue;
          watched.current.delete(id);
          const final = await api.jobStatus({ jobId: id }).catch(() => null);
          if (final && !stopped) handlers.current.onSettled(final);
        }
        if (live.revision !== seen.current) {
          seen.current = live.revision;
          handlers.current.onRevision();
        }
      } catch {
        // The engine is busy or the bridge restarting: the next beat tries again.
      }
      if (!stopped) timer = setTimeout(() => void tick(), watched.current.size ? BUSY_MS : IDLE_MS);
    };
    wake.current = () => {
      if (timer === null) return;
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), 0);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  const watch = useCallback((jobId: string) => {
    watched.current.add(jobId);
    wake.current();
  }, []);
  const markSeen = useCallback((revision: number) => {
    seen.current = revision;
  }, []);
  return { jobs, caseName, watch, markSeen };
}
