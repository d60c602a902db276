import { useEffect, useRef, useState } from 'react';
import { getVod, isApiError, requestDownload, type Vod } from '../../api';
import { formatBytes } from '../../utils/format';
import { startDownload } from './startDownload';

interface Props {
  vod: Pick<Vod, 'id' | 'status' | 'download'>;
  /** How often to look again while the MP4 is being built. */
  pollMs?: number;
}

/**
 * Download as MP4: the first request has the worker build it (one file of the best rendition);
 * the button then polls until it is there and hands the signed, short-lived URL to the browser.
 */
export function DownloadButton({ vod, pollMs = 2000 }: Props) {
  const [state, setState] = useState<'idle' | 'preparing' | 'failed'>(vod.download.status === 'preparing' ? 'preparing' : vod.download.status === 'failed' ? 'failed' : 'idle');
  const [error, setError] = useState<string | null>(vod.download.status === 'failed' ? vod.download.error : null);
  const [size, setSize] = useState<number | null>(vod.download.sizeBytes);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => void (alive.current = false);
  }, []);

  const fetchUrl = async () => {
    const r = await requestDownload(vod.id);
    if ('url' in r) {
      startDownload(r.url, r.filename);
      setState('idle');
      return true;
    }
    setState('preparing');
    return false;
  };

  useEffect(() => {
    if (state !== 'preparing') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const look = async () => {
      try {
        const { vod: v } = await getVod(vod.id, controller.signal);
        if (!alive.current) return;
        if (v.download.status === 'ready') {
          setSize(v.download.sizeBytes);
          await fetchUrl();
          return;
        }
        if (v.download.status === 'failed') {
          setError(v.download.error ?? 'The MP4 could not be built');
          setState('failed');
          return;
        }
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
      }
      timer = setTimeout(() => void look(), pollMs);
    };
    timer = setTimeout(() => void look(), pollMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [state, vod.id, pollMs]);

  if (vod.status !== 'ready') return null;
  return (
    <span className="download">
      <button
        type="button"
        className="btn"
        disabled={state === 'preparing'}
        onClick={async () => {
          setError(null);
          try {
            await fetchUrl();
          } catch (e) {
            setError(isApiError(e) ? e.message : 'The download could not be started');
            setState('failed');
          }
        }}
      >
        {state === 'preparing' ? 'Preparing MP4…' : state === 'failed' ? 'Try the download again' : 'Download MP4'}
      </button>
      {size != null && state === 'idle' && <span className="muted"> {formatBytes(size)}</span>}
      {state === 'preparing' && (
        <span className="muted" role="status">
          {' '}
          Building one MP4 file of the best quality; it starts by itself when ready.
        </span>
      )}
      {error && state === 'failed' && (
        <span role="alert" className="field-error">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
