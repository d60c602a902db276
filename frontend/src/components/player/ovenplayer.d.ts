// The subset of OvenPlayer's API this app uses (the package ships no type declarations).
declare module 'ovenplayer' {
  export interface OvenPlayerSource {
    type: string;
    file: string;
    label?: string;
  }
  export interface OvenPlayerOptions {
    sources: OvenPlayerSource[];
    autoStart?: boolean;
    autoFallback?: boolean;
    mute?: boolean;
    title?: string;
    image?: string;
    aspectRatio?: string;
  }
  export interface OvenPlayerInstance {
    on(event: string, callback: (data: unknown) => void): void;
    remove(): void;
    /** 'idle' | 'loading' | 'playing' | 'paused' | 'complete' | 'error' | … */
    getState?(): string;
    /** Seconds. */
    getPosition?(): number;
    /** 'webrtc' | 'hls' (LL-HLS too) | 'html5' | … */
    getProviderName?(): string | null;
    /** The hls.js instance while an (LL-)HLS source plays. */
    getMseInstance?(): unknown;
  }
  const OvenPlayer: {
    create(container: string | HTMLElement, options: OvenPlayerOptions): OvenPlayerInstance;
  };
  export default OvenPlayer;
}
