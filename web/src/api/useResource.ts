import { useCallback, useEffect, useRef, useState } from 'react';
import { useRefreshTick } from '../state/refresh';
import { type ApiError, apiGet } from './client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  /** True while a request for the current key is in flight (also when older data is still shown). */
  loading: boolean;
  reload: () => void;
}

interface Options {
  /** Keep showing the previous key's data while the next one loads (tables whose filters change). */
  keepPrevious?: boolean;
}

/**
 * Loads `key` with `load` and reloads it when the key changes, on `reload()` and on the global refresh.
 * A `null` key loads nothing. Answers to stale keys are dropped (their requests are aborted).
 */
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  options: Options = {},
): Resource<T> {
  const tick = useRefreshTick();
  const [local, setLocal] = useState(0);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError | Error }>({
    key: null,
  });
  const [loading, setLoading] = useState(key !== null);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick and local are reload triggers
  useEffect(() => {
    if (key === null) {
      setState({ key: null });
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState({ key, data });
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState((prev) => ({
          key,
          ...(prev.key === key || options.keepPrevious ? { data: prev.data } : {}),
          error: err instanceof Error ? err : new Error(String(err)),
        }));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, tick, local, options.keepPrevious]);

  const reload = useCallback(() => setLocal((n) => n + 1), []);
  const current = state.key === key || (options.keepPrevious ?? false);
  return {
    data: current ? state.data : undefined,
    error: state.key === key ? state.error : undefined,
    // A key not answered yet counts as loading, so no empty state flashes before its request starts.
    loading: key !== null && (loading || state.key !== key),
    reload,
  };
}

/** `useResource` for one GET of the API. */
export function useApi<T>(path: string | null, options: Options = {}): Resource<T> {
  return useResource<T>(path, (signal) => apiGet<T>(path as string, signal), options);
}
