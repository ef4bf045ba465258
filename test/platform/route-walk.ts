import type { RouteEntry } from '../../src/platform/http/auth-hook.js';
import type { TestApp } from '../support/app.js';
import { FIXTURES } from '../support/tenant-fixtures.js';

/** The API routes that need credentials. */
export function protectedRoutes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.permission);
}

export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
}

/** Fills `:params` in a route URL. */
export function fillUrl(url: string, values: Record<string, string | number>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent(String(values[name] ?? values.id ?? 999999)),
  );
}

export function fixtureFor(url: string) {
  return FIXTURES.filter((f) => url.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}
