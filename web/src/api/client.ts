import type { ErrorBody, TokenPair } from './types';

/** An API failure in the server's error envelope (or a network failure, code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const SESSION_KEY = 'orderloop.session';

interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since epoch): it is renewed shortly before, so a 401 stays rare. */
  expiresAt: number;
}

/** Renew this long before the access token expires. */
const RENEW_BEFORE_MS = 30_000;

type SessionListener = (signedIn: boolean) => void;

let session: Session | null = readSession();
const listeners = new Set<SessionListener>();

function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.accessToken === 'string' && typeof s.refreshToken === 'string'
      ? { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: Number(s.expiresAt) || 0 }
      : null;
  } catch {
    return null;
  }
}

/** Stores a token pair (login or refresh) or clears it (logout, failed refresh) and tells the listeners. */
export function setSession(pair: Pick<TokenPair, 'accessToken' | 'refreshToken' | 'expiresIn'> | null): void {
  const was = session !== null;
  session = pair
    ? { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: Date.now() + pair.expiresIn * 1000 }
    : null;
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
  if (was !== (session !== null)) for (const l of listeners) l(session !== null);
}

export function hasSession(): boolean {
  return session !== null;
}

export function refreshTokenOf(): string | null {
  return session?.refreshToken ?? null;
}

export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: object;
  body?: unknown;
  signal?: AbortSignal;
  /** Leave the bearer out (login, refresh). */
  anonymous?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

/** `?a=1&b=x` from an object, leaving out undefined, null and empty strings. */
export function queryString(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, QueryValue>)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

type RefreshOutcome = 'renewed' | 'refused' | 'unreachable';
let refreshing: Promise<RefreshOutcome> | null = null;

/** Swaps the refresh token for a new pair once, however many requests need it at the same time. */
function refreshOnce(): Promise<RefreshOutcome> {
  if (!refreshing) {
    const token = session?.refreshToken;
    refreshing = (async (): Promise<RefreshOutcome> => {
      if (!token) return 'refused';
      try {
        const res = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: token }),
        });
        if (!res.ok) return res.status >= 500 ? 'unreachable' : 'refused';
        setSession((await res.json()) as TokenPair);
        return 'renewed';
      } catch {
        return 'unreachable';
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

const UNREACHABLE = () =>
  new ApiError(0, 'network_error', 'The server cannot be reached. Check the connection and retry.');

/** After a refused refresh the session is over: back to the login page. */
function renewOrSignOut(outcome: RefreshOutcome): boolean {
  if (outcome === 'renewed') return true;
  if (outcome === 'unreachable') throw UNREACHABLE();
  setSession(null);
  return false;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (!opts.anonymous && session) headers.authorization = `Bearer ${session.accessToken}`;
  try {
    return await fetch(`/api/v1${path}${queryString(opts.query)}`, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw UNREACHABLE();
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const e = body?.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? res.statusText ?? 'Request failed',
    e?.requestId ?? res.headers.get('x-request-id'),
    e?.details,
  );
}

/** Raw response after authentication (with one refresh on 401); throws ApiError for any non-2xx. */
export async function apiResponse(path: string, opts: RequestOptions = {}): Promise<Response> {
  if (!opts.anonymous && session && session.expiresAt - Date.now() < RENEW_BEFORE_MS) {
    if (!renewOrSignOut(await refreshOnce())) {
      throw new ApiError(401, 'session_expired', 'The session has expired: sign in again.');
    }
  }
  let res = await send(path, opts);
  if (res.status === 401 && !opts.anonymous && session) {
    if (renewOrSignOut(await refreshOnce())) res = await send(path, opts);
  }
  if (!res.ok) throw await toError(res);
  return res;
}

/** JSON request against `/api/v1`: bearer token, one refresh on 401, errors as ApiError. */
export async function apiFetch<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
