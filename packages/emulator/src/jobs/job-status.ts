/** The pure timeline of a job: its status, percentage and time left at a tenant-clock instant. */
import type { JobRecord } from './job-record';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface JobProgress {
  status: JobStatus;
  percentage_done?: number;
  time_left_seconds?: number;
}

/** pending until `startsAt`, processing (linear progress) until `endsAt`, then completed — or failed when a failure was injected. */
export function jobProgress(job: Pick<JobRecord, 'startsAt' | 'endsAt' | 'failure'>, now: number): JobProgress {
  if (now < job.startsAt) return { status: 'pending' };
  if (now < job.endsAt) {
    const span = Math.max(1, job.endsAt - job.startsAt);
    const done = Math.min(99, Math.floor(((now - job.startsAt) / span) * 100));
    return { status: 'processing', percentage_done: done, time_left_seconds: Math.ceil((job.endsAt - now) / 1000) };
  }
  return job.failure ? { status: 'failed' } : { status: 'completed' };
}
