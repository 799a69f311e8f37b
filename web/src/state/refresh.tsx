import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

interface Refresh {
  tick: number;
  refresh: () => void;
}

const RefreshContext = createContext<Refresh>({ tick: 0, refresh: () => undefined });

/** One refresh for the whole page: the header's button and every change made through the UI. */
export function RefreshProvider({ children }: { children: ReactNode }) {
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const value = useMemo(() => ({ tick, refresh }), [tick, refresh]);
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>;
}

export const useRefreshTick = (): number => useContext(RefreshContext).tick;
export const useRefresh = (): (() => void) => useContext(RefreshContext).refresh;
