// Buffers rows in memory and writes them in batches: every `flushIntervalMs`, or at once when
// `maxBatch` rows are waiting, one `write` call per batch (the caller makes it one multi-row
// statement). So 5,000 beacons a second are a few statements a second, not 5,000 transactions.
// One write runs at a time. A failed write puts its rows back (they are retried on the next tick);
// past `maxBuffered` the oldest rows are dropped and counted, so an outage cannot exhaust memory.
// close() stops the timer and writes everything still buffered (the backend's graceful shutdown).

export interface BatchWriterOptions<T> {
  write(rows: T[]): Promise<void>;
  flushIntervalMs: number;
  maxBatch: number;
  maxBuffered: number;
  onWritten?(rows: number, ms: number): void;
  onDropped?(rows: number): void;
  onError?(err: unknown, rows: number): void;
}

export class BatchWriter<T> {
  private buffer: T[] = [];
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout | null;
  private closed = false;

  constructor(private readonly opts: BatchWriterOptions<T>) {
    this.timer = opts.flushIntervalMs > 0 ? setInterval(() => void this.run(false), opts.flushIntervalMs) : null;
    this.timer?.unref();
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Queues a row; false when the writer is closed (the row is not kept). */
  push(row: T): boolean {
    if (this.closed) return false;
    this.buffer.push(row);
    if (this.buffer.length > this.opts.maxBuffered) this.drop(this.buffer.length - this.opts.maxBuffered);
    if (this.buffer.length >= this.opts.maxBatch && !this.running) void this.run(false);
    return true;
  }

  /** Writes everything buffered now (tests, shutdown); resolves once it is written or failed. */
  async flush(): Promise<void> {
    await this.running;
    await this.run(true);
  }

  /** Stops the timer and writes what is left, retrying a failed batch twice. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.closed = true;
    await this.running;
    for (let attempt = 0; attempt < 3 && this.buffer.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * attempt));
      await this.run(true);
    }
    if (this.buffer.length > 0) this.drop(this.buffer.length);
  }

  /**
   * Timer ticks write every full batch and then the rest; a push that filled a batch writes full
   * batches only (a partial one waits for the tick, so batches stay large under load).
   */
  private run(all: boolean): Promise<void> {
    if (this.running) return this.running;
    // Cleared only once this very run is over (a run with nothing to do ends synchronously).
    const run = this.drain(all);
    this.running = run;
    void run.then(() => {
      if (this.running === run) this.running = null;
    });
    return run;
  }

  /** Never rejects: a failed batch goes back to the buffer. */
  private async drain(all: boolean): Promise<void> {
    let first = true;
    while (this.buffer.length > 0 && (all || first || this.buffer.length >= this.opts.maxBatch)) {
      first = false;
      const batch = this.buffer.splice(0, this.opts.maxBatch);
      const started = performance.now();
      try {
        await this.opts.write(batch);
        this.opts.onWritten?.(batch.length, performance.now() - started);
      } catch (err) {
        this.buffer = batch.concat(this.buffer);
        if (this.buffer.length > this.opts.maxBuffered) this.drop(this.buffer.length - this.opts.maxBuffered);
        this.opts.onError?.(err, batch.length);
        return;
      }
    }
  }

  private drop(n: number): void {
    this.buffer.splice(0, n);
    this.opts.onDropped?.(n);
  }
}
