// Which child elements OME 0.20 accepts under each element of Server.xml.
// Taken from the names each config item registers in OME's source (src/projects/config/items/**, commit
// 0229fcd4 = v0.20.0-16, the build that produced test/deploy/fixtures/ome-0.20.0-Server.xml). Only the
// parts of the tree this platform uses (plus their documented siblings) are listed; an element under a
// parent not listed here is reported as unknown, so a typo or a wrong nesting fails the test.

const provider = ['Port', 'TLSPort', 'ThreadPerSocket', 'WorkerCount'];
const bindPublisher = ['Port', 'TLSPort', 'WorkerCount'];
const webrtcBind = ['IceCandidates', 'IceServers', 'Signalling', 'TcpRelayBind'];
const iceCandidates = ['EnableLinkLocalAddress', 'IceCandidate', 'IceWorkerCount', 'TcpForce', 'TcpRelay', 'TcpRelayWorkerCount'];
const host = ['Names', 'TLS'];
const crossDomains = ['Url', 'Header'];
const appProviderBase = ['MaxConnection', 'PacketSilenceTimeoutMs', 'TimestampMode', 'UseIncomingTimestamp'];
const appPublisherBase = ['MaxConnection'];
const hlsPublisher = [
  ...appPublisherBase,
  'CacheControl', 'CreateDefaultPlaylist', 'CrossDomains', 'DVR', 'DefaultQueryString', 'Dumps', 'OriginMode',
  'SegmentCount', 'SegmentDuration', 'ServerTimeBasedSegmentNumbering',
];

const APP = '^Server/VirtualHosts/VirtualHost/Applications/Application';

/** [pattern over the slash path of the parent element, allowed child names]; first match wins. */
export const OME_CHILDREN: Array<[RegExp, string[]]> = [
  [/^Server$/, ['Name', 'Type', 'IP', 'PrivacyProtection', 'StunServer', 'Modules', 'Bind', 'Managers', 'Defaults', 'VirtualHosts', 'Alert', 'Analytics']],
  // config/items/alert/alert.h, rules/rules.h, rules/ingress/ingress.h
  [/^Server\/Alert$/, ['Url', 'SecretKey', 'Timeout', 'RulesFile', 'Rules']],
  [/^Server\/Alert\/Rules$/, ['Ingress', 'Egress', 'InternalQueueCongestion']],
  [/^Server\/Alert\/Rules\/Ingress$/, ['MinBitrate', 'MaxBitrate', 'MinFramerate', 'MaxFramerate', 'MinWidth', 'MaxWidth', 'MinHeight', 'MaxHeight', 'MinSamplerate', 'MaxSamplerate', 'LongKeyFrameInterval', 'HasBFrames']],
  [/^Server\/Modules$/, ['DynamicAppRemoval', 'ERTMP', 'ETag', 'HTTP2', 'LLHLS', 'P2P', 'Recovery']],
  [/^Server\/Modules\/P2P$/, ['Enable', 'MaxClientPeersPerHostPeer']],
  [/^Server\/Modules\/Recovery$/, ['Enable', 'DeleteLazyStreamTimeout']],
  [/^Server\/Modules\/[A-Za-z0-9]+$/, ['Enable']],
  [/^Server\/Bind$/, ['Managers', 'Providers', 'Publishers']],
  [/^Server\/Bind\/Managers$/, ['API']],
  [/^Server\/Bind\/Managers\/API$/, ['Port', 'TLSPort', 'WorkerCount']],
  [/^Server\/Bind\/Providers$/, ['MPEGTS', 'OVT', 'RTMP', 'RTSP', 'RTSPC', 'SRT', 'WebRTC']],
  [/^Server\/Bind\/(Providers|Publishers)\/WebRTC$/, webrtcBind],
  [/^Server\/Bind\/(Providers|Publishers)\/WebRTC\/Signalling$/, ['Port', 'TLSPort', 'WorkerCount']],
  [/^Server\/Bind\/(Providers|Publishers)\/WebRTC\/IceCandidates$/, iceCandidates],
  [/^Server\/Bind\/Providers\/SRT$/, [...provider, 'Options', 'StreamMap']],
  [/^Server\/Bind\/Providers\/(RTMP|OVT|MPEGTS|RTSP|RTSPC)$/, [...provider, 'Options']],
  [/^Server\/Bind\/Publishers$/, ['HLS', 'LLHLS', 'OVT', 'SRT', 'Thumbnail', 'WebRTC']],
  [/^Server\/Bind\/Publishers\/(LLHLS|HLS|OVT|Thumbnail)$/, bindPublisher],
  [/^Server\/Managers$/, ['API', 'Host']],
  [/^Server\/Managers\/API$/, ['AccessToken', 'CrossDomains', 'Storage']],
  [/^Server\/(Managers|VirtualHosts\/VirtualHost)\/Host$/, host],
  [/\/Host\/Names$/, ['Name']],
  [/\/Host\/TLS$/, ['CertPath', 'ChainCertPath', 'KeyPath']],
  [/\/CrossDomains$/, crossDomains],
  [/^Server\/Defaults$/, ['CrossDomains']],
  [/^Server\/VirtualHosts$/, ['VirtualHost']],
  [/^Server\/VirtualHosts\/VirtualHost$/, ['AdmissionWebhooks', 'Applications', 'CrossDomains', 'Distribution', 'Host', 'Name', 'OriginMapStore', 'Origins', 'SignedPolicy']],
  [/^Server\/VirtualHosts\/VirtualHost\/AdmissionWebhooks$/, ['ControlServerUrl', 'Enables', 'SecretKey', 'Timeout']],
  [/^Server\/VirtualHosts\/VirtualHost\/(AdmissionWebhooks|SignedPolicy)\/Enables$/, ['Providers', 'Publishers']],
  [/^Server\/VirtualHosts\/VirtualHost\/Origins$/, ['Origin', 'Properties']],
  [/^Server\/VirtualHosts\/VirtualHost\/Origins\/Properties$/, ['NoInputFailoverTimeout', 'RetryCount', 'StreamFailbackTimeout', 'UnusedStreamDeletionTimeout']],
  [/^Server\/VirtualHosts\/VirtualHost\/Origins\/Origin$/, ['Failback', 'IgnoreRtcpSRTimestamp', 'Location', 'Pass', 'Persistent', 'Relay', 'StrictLocation']],
  [/^Server\/VirtualHosts\/VirtualHost\/Origins\/Origin\/Pass$/, ['ForwardQueryParams', 'Scheme', 'Urls']],
  [/^Server\/VirtualHosts\/VirtualHost\/Origins\/Origin\/Pass\/Urls$/, ['Url']],
  [/^Server\/VirtualHosts\/VirtualHost\/OriginMapStore$/, ['OriginHostName', 'RedisServer']],
  [/^Server\/VirtualHosts\/VirtualHost\/OriginMapStore\/RedisServer$/, ['Auth', 'Host']],
  [/^Server\/VirtualHosts\/VirtualHost\/Applications$/, ['Application']],
  [new RegExp(`${APP}$`), ['Decodes', 'EventGenerator', 'Name', 'OutputProfiles', 'PersistentStreams', 'Providers', 'Publishers', 'TranscodeWebhook', 'Type']],
  [new RegExp(`${APP}/OutputProfiles$`), ['Decodes', 'HWAccels', 'HardwareAcceleration', 'MediaOptions', 'OutputProfile']],
  [new RegExp(`${APP}/OutputProfiles/Decodes$`), ['OnlyKeyframes', 'ThreadCount']],
  [new RegExp(`${APP}/OutputProfiles/HWAccels$`), ['Decoder', 'Encoder']],
  [new RegExp(`${APP}/OutputProfiles/HWAccels/(Decoder|Encoder)$`), ['Enable', 'Modules']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile$`), ['Encodes', 'Name', 'OutputStreamName', 'Playlist']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist$`), ['FileName', 'Name', 'Options', 'Rendition', 'RenditionTemplate']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist/Options$`), ['EnableSubtitles', 'EnableTsPackaging', 'HLSChunklistPathDepth', 'WebRtcAutoAbr']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist/Rendition$`), ['Audio', 'AudioIndexHint', 'Name', 'Video', 'VideoIndexHint']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist/RenditionTemplate$`), ['AudioTemplate', 'Name', 'VideoTemplate']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist/RenditionTemplate/VideoTemplate$`), ['EncodingType', 'MaxBitrate', 'MaxFramerate', 'MaxHeight', 'MaxWidth', 'MinBitrate', 'MinFramerate', 'MinHeight', 'MinWidth', 'VariantName']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Playlist/RenditionTemplate/AudioTemplate$`), ['EncodingType', 'MaxBitrate', 'MaxChannel', 'MaxSamplerate', 'MinBitrate', 'MinChannel', 'MinSamplerate', 'VariantName']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Encodes$`), ['Audio', 'Image', 'Video']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Encodes/Video$`), ['BFrames', 'Bitrate', 'Bypass', 'BypassIfMatch', 'Codec', 'Framerate', 'Height', 'KeyFrameInterval', 'KeyFrameIntervalType', 'Lookahead', 'Modules', 'Name', 'Preset', 'Profile', 'SkipFrames', 'ThreadCount', 'Width']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Encodes/Audio$`), ['Bitrate', 'Bypass', 'BypassIfMatch', 'Channel', 'Codec', 'Modules', 'Name', 'Samplerate']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Encodes/Image$`), ['BypassIfMatch', 'Codec', 'Framerate', 'Height', 'Modules', 'Name', 'SkipFrames', 'Width']],
  [new RegExp(`${APP}/OutputProfiles/OutputProfile/Encodes/(Video|Audio|Image)/BypassIfMatch$`), ['Bitrate', 'Channel', 'Codec', 'Framerate', 'Height', 'SAR', 'Samplerate', 'Width']],
  [new RegExp(`${APP}/Providers$`), ['FILE', 'MPEGTS', 'Multiplex', 'OVT', 'RTMP', 'RTSP', 'RTSPPull', 'SRT', 'Schedule', 'WebRTC']],
  [new RegExp(`${APP}/Providers/RTMP$`), [...appProviderBase, 'BlockDuplicateStreamName', 'EventGenerator', 'PassthroughOutputProfile']],
  [new RegExp(`${APP}/Providers/SRT$`), [...appProviderBase, 'AudioMap', 'BlockDuplicateStreamName']],
  [new RegExp(`${APP}/Providers/WebRTC$`), [...appProviderBase, 'CrossDomains', 'Timeout']],
  [new RegExp(`${APP}/Providers/OVT$`), appProviderBase],
  [new RegExp(`${APP}/Publishers$`), ['AppWorkerCount', 'DelayBufferTimeMs', 'FILE', 'HLS', 'LLHLS', 'MPEGTSPush', 'OVT', 'Push', 'RTMPPush', 'SRT', 'SRTPush', 'StreamWorkerCount', 'Thumbnail', 'WebRTC']],
  [new RegExp(`${APP}/Publishers/WebRTC$`), [...appPublisherBase, 'BandwidthEstimation', 'CreateDefaultPlaylist', 'JitterBuffer', 'PlayoutDelay', 'Rtx', 'Timeout', 'Ulpfec']],
  [new RegExp(`${APP}/Publishers/LLHLS$`), [...hlsPublisher, 'ChunkDuration', 'DRM', 'EnablePreloadHint', 'PartHoldBack']],
  [new RegExp(`${APP}/Publishers/HLS$`), hlsPublisher],
  [new RegExp(`${APP}/Publishers/(LLHLS|HLS)/DVR$`), ['Enable', 'EventPlaylistType', 'MaxDuration', 'TempStoragePath']],
  [new RegExp(`${APP}/Publishers/Thumbnail$`), [...appPublisherBase, 'CrossDomains']],
  [new RegExp(`${APP}/Publishers/OVT$`), appPublisherBase],
  [new RegExp(`${APP}/Publishers/FILE$`), [...appPublisherBase, 'FilePath', 'InfoPath', 'Record', 'RootPath', 'StreamMap']],
  [new RegExp(`${APP}/Publishers/FILE/StreamMap$`), ['Enable', 'Path', 'RecordInfo']],
  // publishers/push_publisher.h + stream_map/stream_map.h
  [new RegExp(`${APP}/Publishers/Push$`), [...appPublisherBase, 'ConnectionTimeout', 'SendTimeout', 'StreamMap']],
  [new RegExp(`${APP}/Publishers/Push/StreamMap$`), ['Enable', 'Path']],
];

/** Child names OME accepts under the element at this path, or undefined when the path is not described. */
export function allowedChildren(path: string): string[] | undefined {
  return OME_CHILDREN.find(([re]) => re.test(path))?.[1];
}

/** Child names of the record map file (publishers/file/file_application.cpp, GetRecordInfoFromFile). */
export const RECORD_MAP_CHILDREN: Record<string, string[]> = {
  RecordInfo: ['Record'],
  'RecordInfo/Record': ['Enable', 'StreamName', 'VariantNames', 'FilePath', 'InfoPath', 'SegmentInterval', 'SegmentSchedule', 'SegmentRule', 'Metadata'],
};
