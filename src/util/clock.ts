/** The one clock of the product: every timestamp BalanceOps stores comes from here. */
export function now(): Date {
  return new Date();
}

/** ISO 8601 in UTC with milliseconds (`2026-01-26T09:21:43.123Z`): sorts as text in time order. */
export function isoNow(): string {
  return now().toISOString();
}
