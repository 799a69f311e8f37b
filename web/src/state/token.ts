const KEY = 'balanceops.token';

/** The API token, kept for this browser tab only (sessionStorage), never in the URL or on disk. */
export function savedToken(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveToken(token: string): void {
  try {
    if (token === '') window.sessionStorage.removeItem(KEY);
    else window.sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the token is asked for again next time
  }
}
