import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { hasSession, onSessionChange, refreshTokenOf, setSession } from '../api/client';
import { api } from '../api/endpoints';
import type { Me, Permission } from '../api/types';

export interface Session {
  /** `anonymous` until a login; `loading` while /auth/me answers; `ready` with `me`. */
  status: 'anonymous' | 'loading' | 'ready' | 'error';
  me: Me | null;
  error: unknown;
  login: (email: string, password: string, tenant?: string) => Promise<void>;
  logout: () => Promise<void>;
  can: (permission: Permission) => boolean;
  reload: () => void;
}

const SessionContext = createContext<Session | null>(null);

// The last /auth/me answer, so that a reload shows the page at once while it is asked again in the background.
const ME_KEY = 'orderloop.me';

function cachedMe(): Me | undefined {
  try {
    const raw = localStorage.getItem(ME_KEY);
    return raw && hasSession() ? (JSON.parse(raw) as Me) : undefined;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(hasSession);

  useEffect(
    () =>
      onSessionChange((now) => {
        setSignedIn(now);
        if (!now) {
          localStorage.removeItem(ME_KEY);
          queryClient.clear();
        }
      }),
    [queryClient],
  );

  const me = useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }) => {
      const me = await api.auth.me(signal);
      localStorage.setItem(ME_KEY, JSON.stringify(me));
      return me;
    },
    initialData: cachedMe,
    initialDataUpdatedAt: 0,
    enabled: signedIn,
    staleTime: 5 * 60_000,
    retry: false,
  });

  const login = useCallback(
    async (email: string, password: string, tenant?: string) => {
      const pair = await api.auth.login({ email, password, ...(tenant ? { tenant } : {}) });
      queryClient.clear();
      localStorage.removeItem(ME_KEY);
      setSession(pair);
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    const token = refreshTokenOf();
    setSession(null);
    if (token) await api.auth.logout(token).catch(() => undefined);
  }, []);

  const value = useMemo<Session>(() => {
    const data = signedIn ? (me.data ?? null) : null;
    const permissions = new Set(data?.permissions ?? []);
    return {
      status: !signedIn ? 'anonymous' : data ? 'ready' : me.isError ? 'error' : 'loading',
      me: data,
      error: me.error,
      login,
      logout,
      can: (p) => permissions.has(p),
      reload: () => void me.refetch(),
    };
  }, [signedIn, me.data, me.isError, me.error, me.refetch, login, logout]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
