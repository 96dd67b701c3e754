import { useSyncExternalStore } from 'react';
import type { JobState } from '../../electron/api/methods/case';

/** What the last poll of the engine's live state said: the running jobs and how many of each kind have settled. */
export interface LiveJobList {
  jobs: JobState[];
  settled: Record<string, number>;
}

let current: LiveJobList = { jobs: [], settled: {} };
const listeners = new Set<() => void>();

/** Called by the poll (useLiveJobs); views that follow one kind of job read it with useLiveJobList. */
export function publishLiveJobs(next: LiveJobList): void {
  current = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveJobList(): LiveJobList {
  return useSyncExternalStore(subscribe, () => current);
}
