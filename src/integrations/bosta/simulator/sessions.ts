/**
 * Authentication of the simulator (§2.2): the API key goes raw in `Authorization`; `Bearer <apiKey>` is refused.
 * Dashboard login tokens from `POST /users/login` are accepted both raw and as `Bearer <token>`.
 */
import { randomBytes } from 'node:crypto';

export interface LoginCredentials {
  email: string;
  password: string;
}

export interface LoginSession {
  token: string;
  refreshToken: string;
  user: { _id: string; email: string; role: string; businessName: string };
}

const TOKEN_TTL_MS = 24 * 3_600_000;

export class LoginSessions {
  private readonly tokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    private readonly apiKey: string,
    private readonly credentials: LoginCredentials,
  ) {}

  login(email: string, password: string): LoginSession | undefined {
    if (email.trim().toLowerCase() !== this.credentials.email.toLowerCase() || password !== this.credentials.password) {
      return undefined;
    }
    return this.issue();
  }

  refresh(refreshToken: string): LoginSession | undefined {
    const old = this.refreshTokens.get(refreshToken);
    if (old === undefined) return undefined;
    this.refreshTokens.delete(refreshToken);
    this.tokens.delete(old);
    return this.issue();
  }

  /** Whether an `Authorization` header value is accepted. */
  authorize(header: string | undefined): boolean {
    if (!header) return false;
    const value = header.trim();
    if (value === this.apiKey) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(value);
    const token = bearer ? bearer[1].trim() : value;
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > Date.now();
  }

  private issue(): LoginSession {
    const token = `eyJ${randomBytes(24).toString('base64url')}`;
    const refreshToken = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + TOKEN_TTL_MS);
    this.refreshTokens.set(refreshToken, token);
    return {
      token,
      refreshToken,
      user: {
        _id: 'usrHvarAdmin01',
        email: this.credentials.email,
        role: 'BUSINESS_ADMIN',
        businessName: 'HVAR Home Appliances',
      },
    };
  }
}
