import { useTimeZone } from '../state/time';

/** A timestamp in the chosen zone; the exact UTC instant on hover. */
export function Time({ iso }: { iso: string | null | undefined }) {
  const { format } = useTimeZone();
  if (iso === null || iso === undefined) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={iso} className="time">
      {format(iso)}
    </time>
  );
}
