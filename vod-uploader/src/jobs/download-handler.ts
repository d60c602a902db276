// The MP4 download of a stored VOD (backend: POST /api/vods/:id/download marks it `preparing` and
// queues this job): the best rendition (the master's highest-BANDWIDTH variant with its audio, or
// the one media playlist of a VOD made before the ladder) remuxed with `-c copy -movflags +faststart`
// from the stored HLS, uploaded as <prefix>download.mp4 (checksum-verified like every object) and
// counted in the Vod's storage bytes.
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import pMap from 'p-map';
import { DownloadJob } from '@ocp/backend/vod-edits';
import { buildMp4, type Mp4Piece } from '../media/clip-media.js';
import { MediaError, probe } from '../media/ffmpeg.js';
import { HlsAbrError, vodMediaPlaylist } from '../media/hls-abr.js';
import { audioFor, bestVariant, dirOf, HlsReadError, isMasterPlaylist, parseMasterPlaylist, parseMediaPlaylist, safeRelative, type MediaPlaylist } from '../media/hls-read.js';
import { downloadObject, ObjectMissingError, readObjectText } from '../storage/object-ops.js';
import { cacheControlFor, contentTypeFor } from '../storage/objects.js';
import type { EditDeps } from './clip-handler.js';
import { storedBytes, withWorkDir } from './vod-upload-steps.js';

export type DownloadOutcome = { outcome: 'ready'; vodId: string; bytes: number } | { outcome: 'gone' | 'settled' };

export const DOWNLOAD_OBJECT = 'download.mp4';

const fail = (why: string) => new UnrecoverableError(why);

export async function handleDownload(job: Pick<Job, 'data' | 'id'>, deps: EditDeps): Promise<DownloadOutcome> {
  const parsed = DownloadJob.safeParse(job.data);
  if (!parsed.success) throw fail('invalid download job payload');
  const vod = await deps.repo.findVod(parsed.data.vodId);
  if (!vod) return { outcome: 'gone' };
  if (vod.downloadStatus !== 'preparing') return { outcome: 'settled' };
  if (vod.status !== 'ready' || !vod.playlistObject) throw fail(`the VOD is ${vod.status}, not ready`);
  const { store, config } = deps;
  const log = deps.logger.child({ vodId: vod.id, jobId: job.id });
  const prefix = vod.objectPrefix ?? `${config.gcs.prefix}${vod.id}/`;
  const objectName = `${prefix}${DOWNLOAD_OBJECT}`;

  try {
    return await withWorkDir(config.workDir, `download-${vod.id}`, async (work) => {
      const child = (playlistObject: string, uri: string) => {
        if (!safeRelative(uri)) throw new HlsReadError(`playlist entry ${JSON.stringify(uri)} points outside the VOD`);
        return `${dirOf(playlistObject)}${uri}`;
      };
      const top = vod.playlistObject!;
      const topText = await readObjectText(store, top);
      let videoObject: string;
      let audioObject: string | null = null;
      if (isMasterPlaylist(topText)) {
        const master = parseMasterPlaylist(topText);
        const best = bestVariant(master);
        videoObject = child(top, best.uri);
        const a = audioFor(master, best);
        if (a && child(top, a.uri!) !== videoObject) audioObject = child(top, a.uri!);
      } else {
        videoObject = top;
      }

      // Fetch the playlists' segments; one local playlist per publish (each has its own timestamps).
      const local = async (object: string, tag: string) => {
        const pl: MediaPlaylist = parseMediaPlaylist(await readObjectText(store, object));
        const files = pl.pieces.map((segs) => segs.map((s, i) => ({ ...s, object: child(object, s.uri), file: path.join(work, tag, `${String(i).padStart(6, '0')}_${path.posix.basename(s.uri)}`) })));
        await pMap(files.flat(), (f) => downloadObject(store, f.object, f.file), { concurrency: config.gcs.uploadParallelism });
        const lists: string[] = [];
        for (const [i, segs] of files.entries()) {
          const list = path.join(work, tag, `piece_${i + 1}.m3u8`);
          await mkdir(path.dirname(list), { recursive: true });
          await writeFile(list, vodMediaPlaylist([segs.map((s) => ({ uri: path.basename(s.file), durationS: s.durationS }))], Math.max(pl.targetDuration, ...segs.map((s) => Math.round(s.durationS)))));
          lists.push(list);
        }
        return { lists, firsts: files.map((segs) => segs[0]!.file) };
      };
      const video = await local(videoObject, 'v');
      const audio = audioObject ? await local(audioObject, 'a') : null;
      if (audio && audio.lists.length !== video.lists.length) throw new HlsReadError(`the audio has ${audio.lists.length} publishes, the video ${video.lists.length}`);
      const pieces: Mp4Piece[] = video.lists.map((list, i) => ({
        video: list,
        audio: audio?.lists[i] ?? null,
        videoFirstSegment: video.firsts[i]!,
        audioFirstSegment: audio?.firsts[i] ?? null,
      }));
      const out = path.join(work, DOWNLOAD_OBJECT);
      await buildMp4(config.media, pieces, work, out);
      const media = await probe(config.media, out);
      log.info({ durationMs: media.durationMs, sizeBytes: media.sizeBytes, pieces: pieces.length, variant: path.basename(videoObject) }, 'download MP4 built');

      const stored = await store.upload({
        localPath: out,
        objectName,
        contentType: contentTypeFor(out),
        cacheControl: cacheControlFor(out),
        customMetadata: { vodId: vod.id, download: 'mp4' },
      });
      const bytes = await storedBytes(store, prefix, log);
      if (!(await deps.repo.markDownloadReady(vod.id, objectName, stored.size, bytes))) {
        // The VOD was deleted while the MP4 was built: its objects are gone, this one must go too.
        await store.file(objectName).delete({ ignoreNotFound: true });
        return { outcome: 'gone' };
      }
      return { outcome: 'ready', vodId: vod.id, bytes: stored.size };
    });
  } catch (err) {
    if (err instanceof HlsReadError || err instanceof HlsAbrError) throw fail(`the VOD cannot be downloaded: ${err.message}`);
    if (err instanceof ObjectMissingError) throw fail(`the VOD is incomplete: ${err.message}`);
    if (err instanceof MediaError) throw fail(`building the MP4 failed: ${err.message}`);
    throw err;
  }
}
