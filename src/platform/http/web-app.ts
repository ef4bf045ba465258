import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** `web/dist` of this checkout: the same from `src/platform/http` (tsx) and `dist/platform/http` (built). */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the dashboard never answers: an unknown URL under them stays a JSON 404 in the API envelope. */
const SERVER_PREFIXES = /^\/(api|docs|hooks|health|ready|metrics)(\/|$|\?)/;

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built web dashboard (`web/dist`) at `/`: files as they are, hashed `/assets/*` cached for a year,
 * `index.html` never cached, and every other GET outside the server's own prefixes answered with `index.html`
 * so that client-side routes survive a reload. Without a build it logs one line and serves nothing.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string = DEFAULT_WEB_DIST): Promise<void> {
  const root = normalize(distDir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.info({ distDir: root }, 'web dashboard not built (no web/dist/index.html): serving the API only');
    return;
  }
  await app.register(fastifyStatic, { root, serve: false, decorateReply: true });

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root, {
      cacheControl: false,
    });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodePath(request.url.split('?')[0] ?? '/');
    if (path === null || SERVER_PREFIXES.test(path)) return reply.callNotFound();
    const rel = path.replace(/^\/+/, '');
    if (rel && rel !== 'index.html' && isFileInside(root, rel)) {
      const hashed = rel.startsWith('assets/');
      reply.header('cache-control', hashed ? IMMUTABLE : 'public, max-age=3600');
      return reply.sendFile(rel, root, { cacheControl: false });
    }
    // A missing hashed asset is a real 404 (a stale tab asking for an old chunk), not the page.
    if (rel.startsWith('assets/')) return reply.callNotFound();
    return sendIndex(reply);
  };
  const options = { config: { public: true }, schema: { hide: true } };
  app.get('/', options, handler);
  app.get('/*', options, handler);
}

function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

function isFileInside(root: string, rel: string): boolean {
  // Build metadata (`.vite/manifest.json`) and any other dotfile stay private.
  if (rel.split('/').some((part) => part.startsWith('.'))) return false;
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return false;
  try {
    return statSync(full).isFile();
  } catch {
    return false;
  }
}
