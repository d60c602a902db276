// The batching rules with a plain function as the sink (no database involved).
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.js';

const writers: BatchWriter<number>[] = [];
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close();
});
function writer(opts: Partial<ConstructorParameters<typeof BatchWriter<number>>[0]> = {}) {
  const batches: number[][] = [];
  const events = { dropped: 0, errors: 0 };
  const w = new BatchWriter<number>({
    write: async (rows) => void batches.push(rows),
    flushIntervalMs: 0,
    maxBatch: 100,
    maxBuffered: 1_000,
    onDropped: (n) => void (events.dropped += n),
    onError: () => void events.errors++,
    ...opts,
  });
  writers.push(w);
  return { w, batches, events };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BatchWriter', () => {
  it('writes a full batch as soon as it is full, and the rest on flush, in order', async () => {
    const { w, batches } = writer();
    for (let i = 0; i < 250; i++) w.push(i);
    await tick();
    expect(batches.map((b) => b.length)).toEqual([100, 100]);
    expect(w.pending).toBe(50);
    await w.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('writes on its timer: many pushes between ticks are one batch', async () => {
    const { w, batches } = writer({ flushIntervalMs: 50 });
    for (let i = 0; i < 40; i++) w.push(i);
    await new Promise((r) => setTimeout(r, 120));
    expect(batches).toEqual([Array.from({ length: 40 }, (_, i) => i)]);
    expect(w.pending).toBe(0);
  });

  it('one write at a time; rows pushed meanwhile wait for the next one', async () => {
    let release!: () => void;
    let concurrent = 0;
    let most = 0;
    const batches: number[][] = [];
    const w = new BatchWriter<number>({
      write: async (rows) => {
        most = Math.max(most, ++concurrent);
        if (batches.length === 0) await new Promise<void>((r) => (release = r));
        batches.push(rows);
        concurrent--;
      },
      flushIntervalMs: 0, maxBatch: 10, maxBuffered: 1_000,
    });
    writers.push(w);
    for (let i = 0; i < 10; i++) w.push(i);
    await tick();
    for (let i = 10; i < 35; i++) w.push(i);
    const flushed = w.flush();
    release();
    await flushed;
    expect(most).toBe(1);
    expect(batches.flat()).toEqual(Array.from({ length: 35 }, (_, i) => i));
  });

  it('a failed write keeps its rows for the next flush; past maxBuffered the oldest are dropped and counted', async () => {
    let fail = true;
    const batches: number[][] = [];
    const events = { dropped: 0, errors: 0 };
    const w = new BatchWriter<number>({
      write: async (rows) => {
        if (fail) throw new Error('database away');
        batches.push(rows);
      },
      flushIntervalMs: 0, maxBatch: 10, maxBuffered: 25,
      onDropped: (n) => void (events.dropped += n),
      onError: () => void events.errors++,
    });
    writers.push(w);
    for (let i = 0; i < 30; i++) w.push(i);
    await w.flush();
    expect(events.errors).toBeGreaterThan(0);
    expect(w.pending).toBe(25);
    expect(events.dropped).toBe(5);
    fail = false;
    await w.flush();
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 5));
  });

  it('close() writes everything left and refuses later rows', async () => {
    const { w, batches } = writer({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) w.push(i);
    await w.close();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(w.push(7)).toBe(false);
    expect(w.pending).toBe(0);
  });

  it('close() retries a failing write, then drops what could not be written (counted)', async () => {
    let attempts = 0;
    const events = { dropped: 0 };
    const w = new BatchWriter<number>({
      write: async () => {
        attempts++;
        throw new Error('gone');
      },
      flushIntervalMs: 0, maxBatch: 10, maxBuffered: 100,
      onDropped: (n) => void (events.dropped += n),
    });
    w.push(1);
    await w.close();
    expect(attempts).toBe(3);
    expect(events.dropped).toBe(1);
  });
});
