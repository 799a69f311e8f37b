import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

const STORAGE_KEY = 'balanceops.utc';

interface TimeZoneState {
  utc: boolean;
  setUtc: (utc: boolean) => void;
  /** `2026-01-26 09:21:43` in the chosen zone. */
  format: (iso: string | null | undefined) => string;
  /** The zone's short name for labels: `UTC` or the browser's (`GMT+9`, `CET`...). */
  zoneLabel: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatIn(iso: string | null | undefined, utc: boolean): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
      ]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const [y, mo, da, h, mi, s] = parts as [number, number, number, number, number, number];
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

function localZoneLabel(): string {
  const part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'local';
}

const TimeZoneContext = createContext<TimeZoneState>({
  utc: false,
  setUtc: () => undefined,
  format: (iso) => formatIn(iso, false),
  zoneLabel: 'local',
});

function readStored(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage disabled: the browser's zone
  }
}

/** Times are shown in the browser's zone, or in UTC once the user asks (remembered in this browser). */
export function TimeZoneProvider({ children }: { children: ReactNode }) {
  const [utc, setUtcState] = useState(readStored);
  const setUtc = useCallback((value: boolean) => {
    setUtcState(value);
    try {
      window.localStorage.setItem(STORAGE_KEY, value ? '1' : '0');
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }, []);
  const value = useMemo(
    () => ({
      utc,
      setUtc,
      format: (iso: string | null | undefined) => formatIn(iso, utc),
      zoneLabel: utc ? 'UTC' : localZoneLabel(),
    }),
    [utc, setUtc],
  );
  return <TimeZoneContext.Provider value={value}>{children}</TimeZoneContext.Provider>;
}

export const useTimeZone = (): TimeZoneState => useContext(TimeZoneContext);
