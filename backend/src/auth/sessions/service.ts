// Dashboard sessions: start one at login, check one on every request, list and end them.
import type { Db } from '../../db/client.js';
import { notFound, unauthorized } from '../../http/errors.js';
import { isUuid } from '../../streams/ids.js';
import { TokenError, signSession, verifySession } from '../tokens.js';
import { CACHE_TTL_MS, LAST_SEEN_INTERVAL_MS, MAX_ACTIVE_SESSIONS, cleanUserAgent, deviceLabel, refusalCode, refusalMessage, sessionRefusal } from './rules.js';
import type { SessionDto } from './schemas.js';
import type { AuthVersions } from './versions.js';

/** Who a valid session token speaks for, with the role as the database has it now. */
export interface SessionPrincipal {
  userId: string;
  sessionId: string;
  role: 'user' | 'admin';
}

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

interface Cached {
  userId: string;
  role: 'user' | 'admin';
  expiresAt: number;
  version: string;
  at: number;
}

const CACHE_MAX = 10_000;

export class SessionService {
  /** sessionId → a recent successful check (see CACHE_TTL_MS). */
  private readonly cache = new Map<string, Cached>();
  /** sessionId → when this process last wrote its lastSeenAt. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly versions: AuthVersions,
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for the user (login, sign-up) and its token. */
  async start(userId: string, client: ClientInfo = {}): Promise<{ token: string; sessionId: string }> {
    const now = this.now();
    const row = await this.db.session.create({
      data: { userId, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt: new Date(now + this.ttlSeconds * 1000), userAgent: cleanUserAgent(client.userAgent), ip: (client.ip ?? '').slice(0, 64) },
      select: { id: true },
    });
    await this.prune(userId, now);
    return { sessionId: row.id, token: signSession({ userId, sessionId: row.id }, this.secret, this.ttlSeconds) };
  }

  /**
   * The principal behind a session token, or 401. `fresh` (writes) always asks the database; reads
   * may use this replica's copy while the user's version in Redis is unchanged and the copy is young.
   */
  async authenticate(token: string, opts: { fresh?: boolean } = {}): Promise<SessionPrincipal> {
    let claims;
    try {
      claims = verifySession(token, this.secret);
    } catch (err) {
      throw unauthorized(err instanceof TokenError && err.reason === 'expired' ? 'Session expired, log in again' : 'Invalid session token');
    }
    const { userId, sessionId } = claims;
    const version = await this.versions.read(userId);
    const now = this.now();
    if (!opts.fresh && version !== undefined) {
      const c = this.cache.get(sessionId);
      if (c && c.version === version && now - c.at < CACHE_TTL_MS && c.expiresAt > now && c.userId === userId) {
        await this.touch(sessionId, now);
        return { userId, sessionId, role: c.role };
      }
    }
    const row = await this.db.session.findUnique({
      where: { id: sessionId },
      select: { userId: true, expiresAt: true, revokedAt: true, user: { select: { role: true, disabledAt: true } } },
    });
    const refusal = sessionRefusal(row, userId, now);
    if (refusal || !row) {
      this.cache.delete(sessionId);
      throw unauthorized(refusalMessage(refusal ?? 'unknown'), refusalCode(refusal ?? 'unknown'));
    }
    if (version !== undefined) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(sessionId, { userId, role: row.user.role, expiresAt: row.expiresAt.getTime(), version, at: now });
    }
    await this.touch(sessionId, now);
    return { userId, sessionId, role: row.user.role };
  }

  /** The user's active sessions, most recently used first; `current` marks the caller's. */
  async list(userId: string, currentId: string | null): Promise<SessionDto[]> {
    const rows = await this.db.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date(this.now()) } },
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
      take: MAX_ACTIVE_SESSIONS,
    });
    return rows.map((r) => ({
      id: r.id,
      device: deviceLabel(r.userAgent),
      userAgent: r.userAgent,
      ip: r.ip,
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      current: r.id === currentId,
    }));
  }

  /** Ends one of the user's sessions (another user's, or an unknown id: 404). Ending an ended one changes nothing. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const row = isUuid(sessionId) ? await this.db.session.findUnique({ where: { id: sessionId }, select: { userId: true } }) : null;
    if (!row || row.userId !== userId) throw notFound('Session');
    await this.db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(this.now()) } });
    await this.forget(userId);
  }

  /** Ends every active session of the user except `keepId` (null: all of them); how many ended. */
  async revokeAll(userId: string, keepId: string | null): Promise<number> {
    const { count } = await this.db.session.updateMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date(this.now()) }, ...(keepId ? { id: { not: keepId } } : {}) },
      data: { revokedAt: new Date(this.now()) },
    });
    await this.forget(userId);
    return count;
  }

  /**
   * Something the checks of this user's sessions depend on changed (sessions ended, role changed,
   * account deleted): every replica re-reads the database on this user's next request.
   */
  async forget(userId: string): Promise<void> {
    for (const [id, c] of this.cache) if (c.userId === userId) this.cache.delete(id);
    await this.versions.bump(userId);
  }

  /** Drops the user's expired sessions (and those ended over a day ago), and ends the least recently used beyond the limit. */
  private async prune(userId: string, now: number): Promise<void> {
    // Ended sessions are kept a day, so a token used just after its logout hears why it is refused.
    await this.db.session.deleteMany({ where: { userId, OR: [{ revokedAt: { lt: new Date(now - 86_400_000) } }, { expiresAt: { lte: new Date(now) } }] } });
    const extra = await this.db.session.findMany({
      where: { userId, revokedAt: null },
      orderBy: [{ lastSeenAt: 'desc' }, { createdAt: 'desc' }],
      skip: MAX_ACTIVE_SESSIONS,
      select: { id: true },
    });
    if (extra.length === 0) return;
    await this.db.session.updateMany({ where: { id: { in: extra.map((e) => e.id) } }, data: { revokedAt: new Date(now) } });
    await this.forget(userId);
  }

  /** Records use, throttled like API keys' lastUsedAt: per process, and in SQL across replicas. */
  private async touch(id: string, now: number): Promise<void> {
    const last = this.touched.get(id);
    if (last !== undefined && now - last < LAST_SEEN_INTERVAL_MS) return;
    if (this.touched.size >= CACHE_MAX) this.touched.clear();
    this.touched.set(id, now);
    await this.db.session.updateMany({
      where: { id, revokedAt: null, lastSeenAt: { lt: new Date(now - LAST_SEEN_INTERVAL_MS) } },
      data: { lastSeenAt: new Date(now) },
    });
  }
}
