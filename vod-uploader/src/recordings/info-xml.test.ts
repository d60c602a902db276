import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InfoXmlError, parseOmeTime, parseRecordingInfo, recordingExtension } from './info-xml.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../test/fixtures', name), 'utf8');

describe('parseRecordingInfo', () => {
  it('reads the real OME 0.20 automatic-recording info file', () => {
    const { recordings, rejected } = parseRecordingInfo(fixture('auto-record-stream1-info.xml'));
    expect(rejected).toEqual([]);
    expect(recordings).toEqual([
      {
        recordingId: 'vyozBVI73kpreKHY-0',
        transactionId: 'vyozBVI73kpreKHY',
        id: 'gJUfvQGAFVteES73',
        vhost: 'default',
        app: 'app',
        stream: 'stream1',
        filePath: '/var/lib/ome/records/stream1/20261122004157_20261122004226.mp4',
        recordBytes: 1475916,
        recordTimeMs: 28961,
        sequence: 0,
        lastSequence: true,
        createdTime: '2026-11-22T00:41:57.575Z',
        startTime: '2026-11-22T00:41:57.610Z',
        finishTime: '2026-11-22T00:42:26.584Z',
      },
    ]);
  });

  it('reads several <file> entries (split recording) and the docs time format', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><files>
      <file><transactionId>bcUC</transactionId><id>CTS</id><vhost>default</vhost><app>app</app><stream>s</stream>
        <filePath><![CDATA[/r/a_0.ts]]></filePath><recordBytes>10</recordBytes><recordTime>60011</recordTime>
        <sequence>0</sequence><lastSequence>false</lastSequence><startTime>2020-12-04T12:53:51.612+0900</startTime></file>
      <file><transactionId>bcUC</transactionId><stream>s</stream><filePath><![CDATA[/r/a_1.ts]]></filePath>
        <sequence>1</sequence><lastSequence>true</lastSequence></file>
    </files>`;
    const { recordings } = parseRecordingInfo(xml);
    expect(recordings.map((r) => r.recordingId)).toEqual(['bcUC-0', 'bcUC-1']);
    expect(recordings[0]!.startTime).toBe('2020-12-04T03:53:51.612Z');
    expect(recordings[0]!.lastSequence).toBe(false);
    expect(recordings[1]!.recordBytes).toBeNull();
  });

  it('rejects entries without identity and keeps the rest', () => {
    const xml = `<files><file><stream>s</stream><filePath>/x.mp4</filePath><sequence>0</sequence></file>
      <file><transactionId>t</transactionId><stream>s</stream><filePath>/y.mp4</filePath><sequence>2</sequence></file></files>`;
    const { recordings, rejected } = parseRecordingInfo(xml);
    expect(recordings.map((r) => r.recordingId)).toEqual(['t-2']);
    expect(rejected).toEqual([{ index: 0, reason: 'missing or invalid transactionId' }]);
  });

  it('accepts an empty <files/> and refuses non-info documents and broken XML', () => {
    expect(parseRecordingInfo('<files></files>').recordings).toEqual([]);
    expect(() => parseRecordingInfo('<other/>')).toThrow(InfoXmlError);
    expect(() => parseRecordingInfo('<files><file><transactionId>x</file>')).toThrow(InfoXmlError);
  });

  it('parses times and extensions', () => {
    expect(parseOmeTime('2026-11-22T00:42:09.637+00:00')).toBe('2026-11-22T00:42:09.637Z');
    expect(parseOmeTime('garbage')).toBeNull();
    expect(recordingExtension('/a/b/c.MP4')).toBe('mp4');
    expect(recordingExtension('/a/b/c')).toBe('bin');
  });
});
