// Checks ome-config/ without running OME: every XML parses, every element is one OME 0.20 accepts where
// it is placed, and the parts the platform depends on (ladder, playlists, publishers, admission, recording
// layout, REST API, secrets from env) are exactly as the backend, the player and the VOD worker expect.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, at, expandOmeEnv, omeEnvNames, parseXml, textAt, walk, type XmlNode } from './lib/xml.js';
import { allowedChildren, RECORD_MAP_CHILDREN } from './lib/ome-schema.js';
import { readEnvExample, repoRoot } from './lib/repo.js';
import { RENDITIONS } from '../../backend/src/outputs/rules.js';
import { DEFAULT_LADDER, parseLadder } from '../../vod-uploader/src/vods/ladder.js';

const configDir = path.join(repoRoot, 'ome-config');
const fixtures = path.join(repoRoot, 'test/deploy/fixtures');

function xmlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return xmlFiles(full);
    return e.name.endsWith('.xml') ? [full] : [];
  });
}

function load(file: string): XmlNode {
  return parseXml(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file));
}

/** Elements whose children OME would not accept there (wrong name or wrong nesting). */
function unknownElements(root: XmlNode): string[] {
  const problems: string[] = [];
  for (const { path: p, node } of walk(root)) {
    if (node.children.length === 0) continue;
    const allowed = allowedChildren(p);
    if (!allowed) {
      problems.push(`${p}: has children but OME takes a value here`);
      continue;
    }
    for (const child of node.children) {
      if (!allowed.includes(child.name)) problems.push(`${p}/${child.name}`);
    }
  }
  return problems;
}

const server = load(path.join(configDir, 'Server.xml'));
const recordMap = load(path.join(configDir, 'record_map.xml'));
const edge = load(path.join(configDir, 'cluster/edge/Server.xml'));
const vhost = at(server, 'VirtualHosts/VirtualHost')!;
const app = all(at(vhost, 'Applications'), 'Application').find((a) => textAt(a, 'Name') === 'app')!;
const profiles = all(at(app, 'OutputProfiles'), 'OutputProfile');
const profile = profiles[0]!;
const encodes = at(profile, 'Encodes')!;
const videos = all(encodes, 'Video');
const audios = all(encodes, 'Audio');
const publishers = at(app, 'Publishers')!;
const env = readEnvExample();

describe('ome-config XML files', () => {
  it('has the files OME loads from its config folder', () => {
    for (const f of ['Server.xml', 'Logger.xml', 'record_map.xml', 'cluster/edge/Server.xml', 'cluster/edge/Logger.xml']) {
      expect(fs.existsSync(path.join(configDir, f)), f).toBe(true);
    }
  });

  it('parses every XML file', () => {
    const files = xmlFiles(configDir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(() => load(f)).not.toThrow();
  });

  it('uses only element names and nesting OME accepts (Server.xml and the edge example)', () => {
    expect(unknownElements(server)).toEqual([]);
    expect(unknownElements(edge)).toEqual([]);
  });

  it('the element rules accept the Server.xml that really ran on OME 0.20.0, and reject a misplaced element', () => {
    const ran = load(path.join(fixtures, 'ome-0.20.0-Server.xml'));
    expect(unknownElements(ran)).toEqual([]);
    const broken = parseXml('<Server version="8"><Bind><Publishers><FILE><Port>1</Port></FILE></Publishers></Bind></Server>');
    expect(unknownElements(broken)).toContain('Server/Bind/Publishers/FILE');
  });

  it('is config version 8 for an origin, with the Logger next to it', () => {
    expect(server.name).toBe('Server');
    expect(server.attrs.version).toBe('8');
    expect(textAt(server, 'Type')).toBe('origin');
    expect(load(path.join(configDir, 'Logger.xml')).name).toBe('Logger');
  });
});

describe('ports and placeholders', () => {
  // The contract ports (brief): container ports stay fixed whatever the env says elsewhere.
  const defaults: Array<[string, string]> = [
    ['Bind/Managers/API/Port', '8081'],
    ['Bind/Providers/RTMP/Port', '1935'],
    ['Bind/Providers/SRT/Port', '9999'],
    ['Bind/Providers/WebRTC/Signalling/Port', '3333'],
    ['Bind/Providers/WebRTC/Signalling/TLSPort', '3334'],
    ['Bind/Publishers/WebRTC/Signalling/Port', '3333'],
    ['Bind/Publishers/WebRTC/Signalling/TLSPort', '3334'],
    ['Bind/Publishers/LLHLS/Port', '3333'],
    ['Bind/Publishers/LLHLS/TLSPort', '3334'],
    ['Bind/Publishers/Thumbnail/Port', '3333'],
    ['Bind/Publishers/OVT/Port', '9000'],
  ];

  it.each(defaults)('%s defaults to %s', (p, port) => {
    expect(expandOmeEnv(textAt(server, p))).toBe(port);
  });

  it('announces ICE on 10000-10009/udp and the TURN relay on 3478 at OME_HOST_IP', () => {
    for (const side of ['Providers', 'Publishers']) {
      const ice = at(server, `Bind/${side}/WebRTC/IceCandidates`)!;
      expect(expandOmeEnv(textAt(ice, 'IceCandidate'), { OME_HOST_IP: '203.0.113.7' })).toBe('203.0.113.7:10000-10009/udp');
      expect(expandOmeEnv(textAt(ice, 'TcpRelay'), { OME_HOST_IP: '203.0.113.7' })).toBe('203.0.113.7:3478');
      expect(expandOmeEnv(textAt(ice, 'IceCandidate'))).toBe('*:10000-10009/udp');
    }
  });

  it('expands placeholders like OME: a set variable wins, else the default', () => {
    expect(expandOmeEnv('${env:X:1935}', { X: '2935' })).toBe('2935');
    expect(expandOmeEnv('${env:X:1935}', { X: '' })).toBe('1935');
    expect(expandOmeEnv('a${env:X}b')).toBe('ab');
  });

  it('every OME env placeholder is documented in .env.example or has a default', () => {
    const text = fs.readFileSync(path.join(configDir, 'Server.xml'), 'utf8');
    for (const m of text.matchAll(/\$\{env:([^}:]*)(:[^}]*)?\}/g)) {
      const [, name, def] = m;
      if (!def || def === ':') expect(env.has(name!), `${name} has no default, so .env.example must set it`).toBe(true);
    }
  });
});

describe('ABR ladder', () => {
  const rung = (name: string) => videos.find((v) => at(v, 'Name')?.text === name);

  it('is one output profile named after the input stream (the Stream id)', () => {
    expect(profiles).toHaveLength(1);
    expect(textAt(profile, 'OutputStreamName')).toBe('${OriginStreamName}');
  });

  it('passes the source video through', () => {
    expect(textAt(rung('bypass_video')!, 'Bypass')).toBe('true');
  });

  it.each([
    ['h264_1080p', 1080, 4_500_000],
    ['h264_720p', 720, 2_500_000],
    ['h264_480p', 480, 1_200_000],
    ['h264_360p', 360, 600_000],
  ])('%s is H.264 at %ip, %i bps, without B-frames (WebRTC)', (name, height, bitrate) => {
    const v = rung(name);
    expect(v, name).toBeDefined();
    expect(textAt(v!, 'Codec')).toBe('h264');
    expect(Number(textAt(v!, 'Height'))).toBe(height);
    expect(Number(textAt(v!, 'Bitrate'))).toBe(bitrate);
    expect(textAt(v!, 'BFrames')).toBe('0');
  });

  it('has exactly five video variants (source + four rungs), AAC for LL-HLS and Opus for WebRTC', () => {
    expect(videos.map((v) => textAt(v, 'Name')).sort()).toEqual(['bypass_video', 'h264_1080p', 'h264_360p', 'h264_480p', 'h264_720p']);
    expect(audios.map((a) => `${textAt(a, 'Name')}:${textAt(a, 'Codec')}`).sort()).toEqual(['aac_audio:aac', 'opus_audio:opus']);
  });

  it('produces a JPEG thumbnail image', () => {
    const images = all(encodes, 'Image');
    expect(images.map((i) => textAt(i, 'Codec'))).toContain('jpeg');
  });
});

describe('playlists', () => {
  const playlists = all(profile, 'Playlist');
  const byFile = (f: string) => playlists.find((p) => at(p, 'FileName')?.text === f);
  const variantNames = new Set([...videos, ...audios].map((e) => textAt(e, 'Name')));
  const ladder = ['bypass_video', 'h264_1080p', 'h264_720p', 'h264_480p', 'h264_360p'];
  const abr = byFile(env.get('OME_PLAYLIST') ?? 'abr');
  const renditions = all(abr, 'Rendition');
  const withAudio = (a: string) => renditions.filter((r) => textAt(r, 'Audio') === a);

  it('the playlist the backend links to (OME_PLAYLIST) exists', () => {
    expect(env.get('OME_PLAYLIST')).toBe('abr');
    expect(abr).toBeDefined();
    expect(textAt(abr!, 'Options/WebRtcAutoAbr')).toBe('true');
  });

  it('offers the whole ladder with Opus (WebRTC) and again with AAC (LL-HLS)', () => {
    expect(withAudio('opus_audio').map((r) => textAt(r, 'Video'))).toEqual(ladder);
    expect(withAudio('aac_audio').map((r) => textAt(r, 'Video'))).toEqual(ladder);
    expect(renditions).toHaveLength(ladder.length * 2);
  });

  it('gives the WebRTC renditions the names OvenPlayer shows', () => {
    expect(withAudio('opus_audio').map((r) => textAt(r, 'Name'))).toEqual(['source', '1080p', '720p', '480p', '360p']);
  });

  it('passes OME config checks: unique file names, unique rendition names, known variants, no reserved words', () => {
    const files = playlists.map((p) => textAt(p, 'FileName'));
    expect(new Set(files).size).toBe(files.length);
    for (const p of playlists) {
      expect(textAt(p, 'FileName')).not.toMatch(/playlist|chunklist/);
      const names = all(p, 'Rendition').map((r) => textAt(r, 'Name'));
      expect(new Set(names).size, `duplicate rendition name in ${textAt(p, 'FileName')}`).toBe(names.length);
      for (const r of all(p, 'Rendition')) {
        expect(variantNames.has(textAt(r, 'Video')), textAt(r, 'Video')).toBe(true);
        expect(variantNames.has(textAt(r, 'Audio')), textAt(r, 'Audio')).toBe(true);
      }
    }
  });

  it('variant (encode) names are unique', () => {
    const names = [...videos, ...audios, ...all(encodes, 'Image')].map((e) => at(e, 'Name')?.text).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('providers and publishers', () => {
  it('ingests RTMP, SRT and WebRTC (WHIP)', () => {
    expect(all(at(app, 'Providers'), 'RTMP')).toHaveLength(1);
    expect(all(at(app, 'Providers'), 'SRT')).toHaveLength(1);
    expect(all(at(app, 'Providers'), 'WebRTC')).toHaveLength(1);
  });

  it('publishes WebRTC, LL-HLS with a DVR window, thumbnails and OVT (for edges)', () => {
    expect(textAt(publishers, 'WebRTC/CreateDefaultPlaylist')).toBe('true');
    expect(textAt(publishers, 'LLHLS/DVR/Enable')).toBe('true');
    expect(Number(expandOmeEnv(textAt(publishers, 'LLHLS/DVR/MaxDuration')))).toBeGreaterThanOrEqual(600);
    expect(Number(textAt(publishers, 'LLHLS/PartHoldBack'))).toBeGreaterThanOrEqual(3 * Number(textAt(publishers, 'LLHLS/ChunkDuration')));
    expect(at(publishers, 'Thumbnail')).toBeDefined();
    expect(at(publishers, 'OVT')).toBeDefined();
  });
});

describe('restream outputs (Push publisher)', () => {
  const push = at(publishers, 'Push');

  it('enables the Push publisher for the REST API, with no StreamMap of its own and bounded timeouts', () => {
    expect(push, 'Publishers/Push must be declared for :startPush to work (push-publishing.md)').toBeDefined();
    expect(textAt(push!, 'StreamMap/Enable')).toBe('false');
    expect(Number(textAt(push!, 'ConnectionTimeout'))).toBeGreaterThan(0);
    expect(Number(textAt(push!, 'SendTimeout'))).toBeGreaterThan(0);
  });

  it('every rendition an output may pick sends encodes that exist: one video, and AAC audio (RTMP takes H.264 + AAC only)', () => {
    const videoNames = new Map(videos.map((v) => [textAt(v, 'Name'), v]));
    const audioNames = new Map(audios.map((a) => [textAt(a, 'Name'), a]));
    for (const [rendition, variants] of Object.entries(RENDITIONS)) {
      const [video, audio] = variants;
      expect(videoNames.has(video), `${rendition}: ${video}`).toBe(true);
      expect(textAt(audioNames.get(audio)!, 'Codec'), `${rendition}: ${audio}`).toBe('aac');
      const v = videoNames.get(video)!;
      expect(at(v, 'Bypass')?.text === 'true' || at(v, 'Codec')?.text === 'h264', `${rendition}: ${video}`).toBe(true);
    }
  });

  it('offers the renditions the player shows (the abr playlist names), with the same video per name', () => {
    const abr = all(profile, 'Playlist').find((p) => textAt(p, 'FileName') === 'abr')!;
    const byName = new Map(all(abr, 'Rendition').map((r) => [textAt(r, 'Name'), textAt(r, 'Video')]));
    for (const [rendition, [video]] of Object.entries(RENDITIONS)) expect(byName.get(rendition), rendition).toBe(video);
  });
});

describe('alerts (stream health)', () => {
  const alert = at(server, 'Alert');

  it('sit at Server level, call the backend route and sign with OME_WEBHOOK_SECRET (no default)', () => {
    expect(alert, 'Server/Alert (docs/alert.md)').toBeDefined();
    expect(expandOmeEnv(textAt(alert!, 'Url'))).toBe('http://backend:8080/api/ome/alert');
    expect(textAt(alert!, 'SecretKey')).toBe('${env:OME_WEBHOOK_SECRET:}');
    expect(Number(textAt(alert!, 'Timeout'))).toBeGreaterThan(0);
  });

  it('watch the ingest for what breaks playback: B-frames, long keyframe intervals, a bitrate far below the ladder top', () => {
    const ingress = at(alert!, 'Rules/Ingress')!;
    expect(at(ingress, 'HasBFrames')).toBeDefined();
    expect(at(ingress, 'LongKeyFrameInterval')).toBeDefined();
    const num = (v: XmlNode, p: string) => Number(at(v, p)?.text ?? 0);
    const top = Math.max(...videos.map((v) => num(v, 'Bitrate')));
    expect(Number(textAt(ingress, 'MinBitrate'))).toBeLessThan(top / 2);
    expect(top).toBeGreaterThan(0);
    expect(Number(textAt(ingress, 'MaxHeight'))).toBe(Math.max(...videos.map((v) => num(v, 'Height'))));
  });
});

describe('admission webhooks', () => {
  const hooks = at(vhost, 'AdmissionWebhooks')!;
  const list = (p: string) => textAt(hooks, p).split(',').map((s) => s.trim()).sort();

  it('sit at VirtualHost level and call the backend route', () => {
    expect(hooks).toBeDefined();
    expect(expandOmeEnv(textAt(hooks, 'ControlServerUrl'))).toBe('http://backend:8080/api/ome/admission');
    expect(expandOmeEnv(textAt(hooks, 'ControlServerUrl'), { OME_ADMISSION_WEBHOOK_URL: 'http://api.internal:8080/api/ome/admission' }))
      .toBe('http://api.internal:8080/api/ome/admission');
  });

  it('sign with OME_WEBHOOK_SECRET from the environment, no default', () => {
    expect(textAt(hooks, 'SecretKey')).toBe('${env:OME_WEBHOOK_SECRET:}');
    expect(env.has('OME_WEBHOOK_SECRET')).toBe(true);
  });

  it('cover providers rtmp, webrtc, srt and publishers webrtc, llhls, thumbnail', () => {
    expect(list('Enables/Providers')).toEqual(['rtmp', 'srt', 'webrtc']);
    expect(list('Enables/Publishers')).toEqual(['llhls', 'thumbnail', 'webrtc']);
    expect(Number(textAt(hooks, 'Timeout'))).toBeGreaterThanOrEqual(1000);
  });
});

describe('recording', () => {
  const file = at(publishers, 'FILE')!;
  const record = all(recordMap, 'Record');
  const recordingsDir = env.get('RECORDINGS_DIR');
  const root = '/var/lib/ome/records/${VirtualHost}/${Application}/${Stream}';
  const fileName = '${StartTime:YYYYMMDDhhmmss}_${EndTime:YYYYMMDDhhmmss}.mp4';
  const byName = new Map(record.map((r) => [path.basename(path.dirname(textAt(r, 'FilePath'))), r]));

  it('the FILE publisher records automatically through record_map.xml next to Server.xml', () => {
    expect(textAt(file, 'StreamMap/Enable')).toBe('true');
    const mapPath = textAt(file, 'StreamMap/Path');
    expect(fs.existsSync(path.resolve(configDir, mapPath))).toBe(true);
    expect(path.resolve(configDir, mapPath)).toBe(path.join(configDir, 'record_map.xml'));
  });

  it('the record map uses only elements OME reads', () => {
    for (const { path: p, node } of walk(recordMap)) {
      if (node.children.length === 0) continue;
      for (const c of node.children) expect(RECORD_MAP_CHILDREN[p], p).toContain(c.name);
    }
  });

  it('records every stream once per ladder rendition, each into <stream>/<rendition>/ with its own info file', () => {
    expect([...byName.keys()]).toEqual(Object.keys(RENDITIONS));
    for (const [name, r] of byName) {
      expect(textAt(r, 'Enable'), name).toBe('true');
      expect(textAt(r, 'StreamName'), name).toBe('*');
      expect(textAt(r, 'FilePath'), name).toBe(`${root}/${name}/${fileName}`);
      expect(textAt(r, 'InfoPath'), name).toBe(`${root}/${name}/info.xml`);
      // The files of one publish share the stream's timeline (the worker aligns segments on it).
      expect(textAt(r, 'SegmentRule'), name).toBe('continuity');
      expect(at(r, 'SegmentInterval'), name).toBeUndefined();
      expect(at(r, 'SegmentSchedule'), name).toBeUndefined();
    }
  });

  it('records the source video with the AAC track, every rung as its video only (audio stored once)', () => {
    for (const [name, r] of byName) {
      const [video, audio] = RENDITIONS[name as keyof typeof RENDITIONS];
      expect(textAt(r, 'VariantNames').split(','), name).toEqual(name === 'source' ? [video, audio] : [video]);
    }
    // Every variant named exists in the ladder's encodes.
    const encodeNames = new Set([...videos, ...audios].map((e) => textAt(e, 'Name')));
    for (const r of record) for (const v of textAt(r, 'VariantNames').split(',')) expect(encodeNames.has(v), v).toBe(true);
  });

  it('recordings started over the REST API (FILE defaults) keep the single-file layout the worker reads as one rendition', () => {
    expect(textAt(file, 'FilePath')).toBe(`${root}/${fileName}`);
    expect(textAt(file, 'InfoPath')).toBe(`${root}/info.xml`);
  });

  it('the recording root is the RECORDINGS_DIR of .env.example', () => {
    expect(recordingsDir).toBe('/var/lib/ome/records');
    for (const r of record) expect(textAt(r, 'FilePath').startsWith(`${recordingsDir}/`)).toBe(true);
  });

  it('file names match what OME 0.20.0 really wrote (fixture info.xml)', () => {
    const info = load(path.join(fixtures, 'ome-0.20.0-auto-record-info.xml'));
    const written = textAt(all(info, 'file')[0]!, 'filePath');
    const base = path.basename(written); // 20261122004157_20261122004226.mp4
    const [start, end] = base.replace('.mp4', '').split('_');
    const expanded = textAt(byName.get('720p')!, 'FilePath')
      .replace('${VirtualHost}', 'default')
      .replace('${Application}', 'app')
      .replace('${Stream}', 'stream1')
      .replace('${StartTime:YYYYMMDDhhmmss}', start!)
      .replace('${EndTime:YYYYMMDDhhmmss}', end!);
    expect(expanded).toBe(`/var/lib/ome/records/default/app/stream1/720p/${base}`);
  });

  it("the VOD worker's default ladder (VOD_LADDER) is the ladder OME encodes: names, heights, bitrates", () => {
    const rungs = parseLadder(DEFAULT_LADDER);
    for (const rung of rungs) {
      const [videoName] = RENDITIONS[rung.name as keyof typeof RENDITIONS];
      const encode = videos.find((v) => textAt(v, 'Name') === videoName)!;
      expect(encode, rung.name).toBeDefined();
      expect(Number(textAt(encode, 'Height')), rung.name).toBe(rung.height);
      expect(Number(textAt(encode, 'Bitrate')), rung.name).toBe(rung.bitrateBps);
    }
    expect(rungs.map((r) => r.name)).toEqual([...byName.keys()].filter((n) => n !== 'source'));
  });

  it('the ladder rungs place keyframes by time, every 1 s, so the recorded rungs share keyframe instants', () => {
    for (const v of videos.filter((e) => at(e, 'Bypass')?.text !== 'true')) {
      expect(textAt(v, 'KeyFrameIntervalType'), textAt(v, 'Name')).toBe('time');
      expect(textAt(v, 'KeyFrameInterval'), textAt(v, 'Name')).toBe('1000');
    }
  });
});

describe('REST API and secrets', () => {
  it('enables the API server with the access token from OME_API_ACCESS_TOKEN', () => {
    expect(expandOmeEnv(textAt(server, 'Bind/Managers/API/Port'))).toBe('8081');
    expect(textAt(server, 'Managers/API/AccessToken')).toBe('${env:OME_API_ACCESS_TOKEN:}');
    expect(env.has('OME_API_ACCESS_TOKEN')).toBe(true);
    expect(env.get('OME_API_URL')).toBe('http://ome:8081');
  });

  it('hard-codes no secret in any XML file', () => {
    const secretTags = ['SecretKey', 'AccessToken', 'Auth', 'Credential', 'Metadata'];
    for (const f of xmlFiles(configDir)) {
      const root = load(f);
      for (const { path: p, node } of walk(root)) {
        if (!secretTags.includes(node.name) || node.text === '') continue;
        expect(node.text, `${path.relative(repoRoot, f)}: ${p}`).toMatch(/^\$\{env:[A-Z0-9_]+:?\}$/);
        expect(omeEnvNames(node.text)).toHaveLength(1);
      }
      const raw = fs.readFileSync(f, 'utf8');
      expect(raw).not.toMatch(/ome-access-token|fixture-secret|aKq#1kj/);
    }
  });
});

describe('origin/edge example', () => {
  const edgeVhost = at(edge, 'VirtualHosts/VirtualHost')!;

  it('the origin offers OVT on 9000 for edges', () => {
    expect(expandOmeEnv(textAt(server, 'Bind/Publishers/OVT/Port'))).toBe('9000');
  });

  it('the edge pulls /app/ from the origin over OVT and still asks the backend about viewers', () => {
    expect(textAt(edge, 'Type')).toBe('edge');
    const origin = at(edgeVhost, 'Origins/Origin')!;
    expect(textAt(origin, 'Location')).toBe('/app/');
    expect(textAt(origin, 'Pass/Scheme').toLowerCase()).toBe('ovt');
    expect(expandOmeEnv(textAt(origin, 'Pass/Urls/Url'))).toBe('ome:9000/app/');
    expect(expandOmeEnv(textAt(origin, 'Pass/Urls/Url'), { OME_ORIGIN_HOST: '10.0.0.5' })).toBe('10.0.0.5:9000/app/');
    expect(at(edge, 'Bind/Providers/OVT')).toBeDefined();
    const hooks = at(edgeVhost, 'AdmissionWebhooks')!;
    expect(expandOmeEnv(textAt(hooks, 'ControlServerUrl'))).toBe('http://backend:8080/api/ome/admission');
    expect(textAt(hooks, 'SecretKey')).toBe('${env:OME_WEBHOOK_SECRET:}');
    expect(textAt(hooks, 'Enables/Publishers').split(',').sort()).toEqual(['llhls', 'webrtc']);
  });
});
