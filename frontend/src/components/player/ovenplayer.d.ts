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
  /** A quality level of the HLS provider: one hls.js level (a master playlist variant). */
  export interface OvenPlayerQualityLevel {
    bitrate: number;
    width: number;
    height: number;
    index: number;
    label: string;
  }
  export interface OvenPlayerInstance {
    on(event: string, callback: (data: unknown) => void): void;
    off?(event: string): void;
    remove(): void;
    getQualityLevels(): OvenPlayerQualityLevel[];
    getCurrentQuality(): number;
    /** Pins hls.js to this level (hls.currentLevel). */
    setCurrentQuality(index: number): number;
    isAutoQuality(): boolean;
    /** true: hls.js picks by measured bandwidth again (hls.currentLevel = -1). */
    setAutoQuality(auto: boolean): void;
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
