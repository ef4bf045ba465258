import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Typed configuration of one Orderloop process, read from the environment. */
export interface Config {
  databaseUrl: string;
  redisUrl: string | null;
  host: string;
  port: number;
  appSecret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  corsOrigins: string[];
  dataDir: string;
  rateLimitPerMinute: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  bostaApiUrl: string | null;
  bostaApiKey: string | null;
  demo: boolean;
  /** Webhook subscriptions and deliveries may target loopback and private networks (off by default). */
  webhookAllowPrivateTargets: boolean;
  /** A Bosta base URL given through the API may be a loopback, private or link-local address. */
  bostaAllowPrivateUrls: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intVar(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(name, `must be 1, 0, true or false, got "${raw}"`);
}

function urlVar(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(name, `must use one of ${protocols.join(', ')}, got "${u.protocol}"`);
  }
  return raw;
}

/** Reads APP_SECRET, or creates one under the data directory on first use so restarts keep tokens valid. */
function appSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const raw = env.APP_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('APP_SECRET', 'must be at least 32 characters long');
    return raw;
  }
  const file = resolve(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Builds the configuration from the environment; defaults make `npm start` need nothing. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ORDERLOOP_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve(dataDir, 'orderloop.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with sqlite: or postgres://');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const corsOrigins = (env.CORS_ORIGINS || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    if (o !== '*' && !/^https?:\/\/[^/]+$/.test(o)) {
      throw new ConfigError('CORS_ORIGINS', `entries must be origins like https://app.example.com, got "${o}"`);
    }
  }
  const bostaApiUrl = urlVar(env, 'BOSTA_API_URL', ['http:', 'https:']);
  return {
    databaseUrl,
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']),
    host: env.HOST || '127.0.0.1',
    port: intVar(env, 'PORT', 3000, 0, 65535),
    appSecret: appSecret(env, dataDir),
    logLevel,
    corsOrigins,
    dataDir,
    rateLimitPerMinute: intVar(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000),
    loginMaxFailures: intVar(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginLockMinutes: intVar(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    bostaApiUrl,
    bostaApiKey: env.BOSTA_API_KEY || null,
    demo: env.ORDERLOOP_DEMO !== '0',
    webhookAllowPrivateTargets: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    bostaAllowPrivateUrls: boolVar(env, 'BOSTA_ALLOW_PRIVATE_URLS', false),
  };
}
