import { z } from 'zod';
import { text } from '../http/strings.js';
import { OUTPUT_STATES, RENDITION_NAMES } from './rules.js';

export const OUTPUT_LIMIT_PER_STREAM = 10;

export const OutputParams = z.object({ id: text(), outputId: text() });

const name = text({ error: 'Name is required' }).trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters');
const url = text({ error: 'url is required' }).trim().min(1, 'url is required').max(2048, 'url must be at most 2048 characters')
  .describe('rtmp://, rtmps:// (server URL with its application, e.g. rtmps://a.rtmps.youtube.com/live2) or srt:// (caller mode; put streamid/passphrase in streamKey)');
const streamKey = text().max(1024, 'streamKey must be at most 1024 characters')
  .describe('The destination\'s stream key (RTMP: required). SRT: the streamid, or `streamid=…&passphrase=…`. Stored encrypted; never returned (only its last 4 characters).');
const enabled = z.boolean({ error: 'enabled must be true or false' });
const rendition = z.enum(RENDITION_NAMES, { error: `rendition must be one of ${RENDITION_NAMES.join(', ')}` })
  .describe('What is pushed: the source video or one rung of the ladder (with AAC audio)');

export const CreateOutputBody = z.strictObject({
  name,
  url,
  streamKey: streamKey.optional(),
  enabled: enabled.optional(),
  rendition: rendition.optional(),
});

export const UpdateOutputBody = z
  .strictObject({ name: name.optional(), url: url.optional(), streamKey: streamKey.optional(), enabled: enabled.optional(), rendition: rendition.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to update' });

export const Output = z.object({
  id: z.uuid(),
  streamId: z.uuid(),
  name: z.string(),
  url: z.string(),
  protocol: z.enum(['rtmp', 'srt']),
  streamKeyLast4: z.string().describe('The last 4 characters of the stream key ("" when the key is shorter than 8 or empty); the key itself is never returned'),
  enabled: z.boolean(),
  rendition: z.enum(RENDITION_NAMES),
  state: z.enum(OUTPUT_STATES).describe('idle: not started yet; starting: OME is connecting (or waiting for the publisher); active: OME is pushing; error: the last push failed (see error; retried while live); stopped: the broadcast ended or the output was disabled'),
  error: z.string().nullable().describe('Why the last push failed (OME\'s reason, blocked_address, …)'),
  nextAttemptAt: z.iso.datetime().nullable().describe('While in error and on air: when the push is tried again'),
  stateChangedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const OutputResponse = z.object({ output: Output });
export const OutputListResponse = z.object({ outputs: z.array(Output) });

type Row = {
  id: string; streamId: string; name: string; url: string; protocol: 'rtmp' | 'srt'; streamKeyHint: string; enabled: boolean; rendition: string;
  state: z.infer<typeof Output>['state']; lastError: string | null; nextAttemptAt: Date | null; stateChangedAt: Date; createdAt: Date; updatedAt: Date;
};

export function toOutputDto(o: Row): z.infer<typeof Output> {
  return {
    id: o.id,
    streamId: o.streamId,
    name: o.name,
    url: o.url,
    protocol: o.protocol,
    streamKeyLast4: o.streamKeyHint,
    enabled: o.enabled,
    rendition: (RENDITION_NAMES as readonly string[]).includes(o.rendition) ? (o.rendition as z.infer<typeof Output>['rendition']) : 'source',
    state: o.state,
    error: o.lastError,
    nextAttemptAt: o.state === 'error' && o.nextAttemptAt ? o.nextAttemptAt.toISOString() : null,
    stateChangedAt: o.stateChangedAt.toISOString(),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
