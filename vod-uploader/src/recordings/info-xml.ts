// Parses OME's recording info file (docs/recording.md, Appendix B). Pure: text in, records out.
// OME rewrites the whole file and appends one <file> per finished recording, so one info file
// can describe many recordings (split recordings share a transactionId, with rising sequence).
import { XMLParser } from 'fast-xml-parser';
import { recordingIdOf } from '../jobs/vod-upload.js';

export interface RecordingInfo {
  recordingId: string;
  transactionId: string;
  id: string | null;
  vhost: string;
  app: string;
  stream: string;
  filePath: string;
  recordBytes: number | null;
  recordTimeMs: number | null;
  sequence: number;
  lastSequence: boolean | null;
  createdTime: string | null;
  startTime: string | null;
  finishTime: string | null;
}

export interface ParseResult {
  recordings: RecordingInfo[];
  /** Entries that could not be used, with why (an info file is only ever half-written by a crash). */
  rejected: { index: number; reason: string }[];
}

export class InfoXmlError extends Error {
  override name = 'InfoXmlError';
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'file',
});

/** OME writes both `+00:00` (0.20 captures) and `+0900` (docs); Date only accepts the first. */
export function parseOmeTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const normalized = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return String(v);
  return null;
}

function nonNegInt(v: unknown): number | null {
  const s = text(v);
  if (s === null || !/^\d+$/.test(s)) return null;
  return Number(s);
}

export function parseRecordingInfo(xml: string): ParseResult {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new InfoXmlError(`info file is not well-formed XML: ${(err as Error).message}`);
  }
  const root = (doc as { files?: unknown }).files;
  if (root === undefined) throw new InfoXmlError('info file has no <files> root element');
  const files = root === '' || root === null ? [] : ((root as { file?: unknown[] }).file ?? []);

  const recordings: RecordingInfo[] = [];
  const rejected: ParseResult['rejected'] = [];
  files.forEach((raw, index) => {
    const f = (raw ?? {}) as Record<string, unknown>;
    const transactionId = text(f.transactionId);
    const stream = text(f.stream);
    const filePath = text(f.filePath);
    const sequence = nonNegInt(f.sequence);
    const missing = [
      transactionId === null && 'transactionId',
      stream === null && 'stream',
      filePath === null && 'filePath',
      sequence === null && 'sequence',
    ].filter(Boolean);
    if (missing.length > 0 || transactionId === null || stream === null || filePath === null || sequence === null) {
      rejected.push({ index, reason: `missing or invalid ${missing.join(', ')}` });
      return;
    }
    const last = text(f.lastSequence);
    recordings.push({
      recordingId: recordingIdOf(transactionId, sequence),
      transactionId,
      id: text(f.id),
      vhost: text(f.vhost) ?? 'default',
      app: text(f.app) ?? 'app',
      stream,
      filePath,
      recordBytes: nonNegInt(f.recordBytes),
      recordTimeMs: nonNegInt(f.recordTime),
      sequence,
      lastSequence: last === null ? null : last === 'true',
      createdTime: parseOmeTime(f.createdTime),
      startTime: parseOmeTime(f.startTime),
      finishTime: parseOmeTime(f.finishTime),
    });
  });
  return { recordings, rejected };
}

/** File name extension of a recording, lower-case, without the dot ('mp4', 'ts'). */
export function recordingExtension(filePath: string): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(filePath);
  return m ? m[1]!.toLowerCase() : 'bin';
}
