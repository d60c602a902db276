// One table for attempts and backoff, read by the enqueuer (job options) and the worker (failure hook).
export interface RetryPolicy {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: { age: number; count: number };
  removeOnFail: { age: number };
}

export function retryPolicy(attempts: number, backoffMs: number): RetryPolicy {
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // Completed jobs stay a week so a repeated enqueue of the same recording is a no-op by job id;
    // after that the Vod row (unique recordingId) is the guard.
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    // Failed jobs stay a month for operators (bull-board); the Vod row carries the error for users.
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
