// Operator use cases: users (list, disable, enable, delete) and sign-up invites. Handlers call
// these; admins only (routes.ts). Live publishers are disconnected through ctx.broadcasts (kick
// queue), VOD objects are left to the VOD worker through ObjectDeletion rows (vods/deletions.ts).
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../http/errors.js';
import { afterCursor, containsText, newestFirst, toPage, type CursorKey } from '../http/pagination.js';
import { isUuid } from '../streams/ids.js';
import { END_REASONS } from '../streams/state.js';
import { objectDeletionJobId, vodObjectPrefix } from '../vods/deletions.js';
import { inviteState, newInviteToken } from './invite-rules.js';

type UserRow = { id: string; email: string; role: 'user' | 'admin'; disabledAt: Date | null; createdAt: Date; _count: { streams: number; vods: number } };

const USER_SELECT = { id: true, email: true, role: true, disabledAt: true, createdAt: true, _count: { select: { streams: true, vods: true } } } as const;

const toUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  role: u.role,
  disabled: u.disabledAt !== null,
  disabledAt: u.disabledAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
  streams: u._count.streams,
  vods: u._count.vods,
});

type InviteRow = { id: string; email: string | null; createdAt: Date; expiresAt: Date; usedAt: Date | null; revokedAt: Date | null };
const toInvite = (i: InviteRow, now = new Date()) => ({
  id: i.id,
  email: i.email,
  state: inviteState(i, now),
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  usedAt: i.usedAt?.toISOString() ?? null,
  revokedAt: i.revokedAt?.toISOString() ?? null,
});

export class AdminService {
  constructor(private readonly ctx: AppContext) {}

  async listUsers(query: { limit: number; cursor?: CursorKey; q?: string }) {
    const rows = await this.ctx.db.user.findMany({
      where: { AND: [query.q ? { email: containsText(query.q) } : {}, afterCursor('createdAt', query.cursor)] },
      orderBy: newestFirst('createdAt'),
      take: query.limit + 1,
      select: USER_SELECT,
    });
    const page = toPage(rows, query.limit, (r) => r.createdAt);
    return { users: page.rows.map(toUser), nextCursor: page.nextCursor };
  }

  private async target(actorId: string, id: string, action: 'disable' | 'delete') {
    if (!isUuid(id)) throw notFound('User');
    if (id === actorId) throw new AppError(400, `cannot_${action}_self`, `You cannot ${action} your own account`);
    const u = await this.ctx.db.user.findUnique({ where: { id }, select: USER_SELECT });
    if (!u) throw notFound('User');
    return u;
  }

  /**
   * Disables an account: from this statement on, admission refuses its streams (publish and play),
   * its sessions and API keys are refused on their next request (every replica: the auth version
   * bump), and its live publishers are kicked with `user_disabled`.
   */
  async disableUser(actorId: string, id: string) {
    await this.target(actorId, id, 'disable');
    await this.ctx.db.user.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: new Date() } });
    await this.ctx.sessions.forget(id);
    await this.ctx.hub.publish({ kind: 'account', userId: id });
    const kicked = await this.stopBroadcasts(id, END_REASONS.userDisabled);
    await this.streamsChanged(id);
    return { user: toUser((await this.ctx.db.user.findUnique({ where: { id }, select: USER_SELECT }))!), kicked };
  }

  async enableUser(id: string) {
    if (!isUuid(id)) throw notFound('User');
    const res = await this.ctx.db.user.updateMany({ where: { id }, data: { disabledAt: null } });
    if (res.count === 0) throw notFound('User');
    await this.ctx.sessions.forget(id);
    await this.streamsChanged(id);
    return { user: toUser((await this.ctx.db.user.findUnique({ where: { id }, select: USER_SELECT }))!) };
  }

  /**
   * Deletes an account with its streams, sessions, API keys, webhook endpoints and VOD rows. Live
   * publishers are kicked first (the account is disabled meanwhile, so nothing new starts). A VOD
   * being uploaded right now would leave objects behind: 409 until it is ready or failed. The VOD
   * objects are deleted by the VOD worker: one ObjectDeletion row per VOD, written in the same
   * transaction as the delete, then queued.
   */
  async deleteUser(actorId: string, id: string) {
    await this.target(actorId, id, 'delete');
    const processing = await this.ctx.db.vod.count({ where: { ownerId: id, status: 'processing' } });
    if (processing > 0) throw new AppError(409, 'vods_processing', `${processing} VOD${processing === 1 ? ' is' : 's are'} being uploaded; delete the account once ${processing === 1 ? 'it is' : 'they are'} ready or failed (disable it meanwhile)`);
    await this.ctx.db.user.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: new Date() } });
    await this.ctx.sessions.forget(id);
    await this.ctx.hub.publish({ kind: 'account', userId: id });
    const kicked = await this.stopBroadcasts(id, END_REASONS.userDeleted);
    const gcsPrefix = this.ctx.config.gcs.prefix;
    const result = await this.ctx.db.$transaction(async (tx) => {
      // Locks the account's VOD rows: an upload cannot start on one between the check and the delete.
      const vods = await tx.$queryRaw<{ id: string; objectPrefix: string | null; status: string }[]>`
        SELECT id, "objectPrefix", status::text AS status FROM "Vod" WHERE "ownerId" = ${id}::uuid FOR UPDATE`;
      if (vods.some((v) => v.status === 'processing')) throw new AppError(409, 'vods_processing', 'A VOD of this account started uploading; try again once it is ready or failed');
      const streams = await tx.stream.findMany({ where: { ownerId: id }, select: { id: true } });
      const webhooks = await tx.webhookEndpoint.count({ where: { ownerId: id } });
      if (vods.length) {
        await tx.objectDeletion.createMany({ data: vods.map((v) => ({ prefix: vodObjectPrefix(v, gcsPrefix), subject: `vod:${v.id}` })), skipDuplicates: true });
      }
      // Cascades: streams (→ sessions, gaps, pieces), VODs, sessions, API keys, webhook endpoints (→ deliveries).
      await tx.user.delete({ where: { id } });
      return { streams, vods: vods.length, webhooks, prefixes: vods.map((v) => vodObjectPrefix(v, gcsPrefix)) };
    });
    await this.queueDeletions(result.prefixes);
    await this.ctx.sessions.forget(id);
    for (const s of result.streams) {
      this.ctx.accessCache.invalidate(s.id);
      await this.ctx.hub.publish({ kind: 'changed', streamId: s.id });
    }
    this.ctx.logger.info({ domain: 'admin', userId: id, by: actorId, streams: result.streams.length, vods: result.vods, kicked }, 'user deleted');
    return { deleted: { streams: result.streams.length, vods: result.vods, webhooks: result.webhooks }, kicked };
  }

  /** Kicks (or ends the reconnect window of) every broadcast of the user; how many were live. */
  private async stopBroadcasts(userId: string, reason: string): Promise<number> {
    const onAir = await this.ctx.db.stream.findMany({ where: { ownerId: userId, status: { in: ['live', 'reconnecting'] } }, select: { id: true } });
    let kicked = 0;
    for (const s of onAir) if ((await this.ctx.broadcasts.stop(s.id, reason)) === 'kicked') kicked++;
    return kicked;
  }

  /** Playback admission's cached facts name the owner's state: drop them on every replica. */
  private async streamsChanged(userId: string) {
    const streams = await this.ctx.db.stream.findMany({ where: { ownerId: userId }, select: { id: true } });
    for (const s of streams) {
      this.ctx.accessCache.invalidate(s.id);
      await this.ctx.hub.publish({ kind: 'changed', streamId: s.id });
    }
  }

  /** After the commit; a failure is only logged: the VOD worker requeues every row at its start. */
  private async queueDeletions(prefixes: string[]) {
    if (!prefixes.length) return;
    const rows = await this.ctx.db.objectDeletion.findMany({ where: { prefix: { in: prefixes } }, select: { id: true } });
    for (const r of rows) {
      try {
        await Promise.race([
          this.ctx.deletionQueue.add('delete-objects', { deletionId: r.id }, { jobId: objectDeletionJobId(r.id) }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('not queued within 1000 ms')), 1_000).unref()),
        ]);
      } catch (err) {
        this.ctx.logger.warn({ err: { message: (err as Error).message }, deletionId: r.id }, 'object deletion not queued; the VOD worker picks it up from the table');
      }
    }
  }

  // ---- invites ----

  async createInvite(actorId: string, body: { email?: string; expiresInHours?: number }) {
    const { token, tokenHash } = newInviteToken();
    const hours = body.expiresInHours ?? this.ctx.config.auth.inviteTtlHours;
    const row = await this.ctx.db.invite.create({
      data: { tokenHash, email: body.email ?? null, createdById: actorId, expiresAt: new Date(Date.now() + hours * 3600_000) },
    });
    return { invite: toInvite(row), token, path: `/signup?invite=${encodeURIComponent(token)}` };
  }

  async listInvites(query: { limit: number; cursor?: CursorKey }) {
    const rows = await this.ctx.db.invite.findMany({ where: afterCursor('createdAt', query.cursor), orderBy: newestFirst('createdAt'), take: query.limit + 1 });
    const page = toPage(rows, query.limit, (r) => r.createdAt);
    const now = new Date();
    return { invites: page.rows.map((r) => toInvite(r, now)), nextCursor: page.nextCursor };
  }

  /** Revokes an unused invite (again: no change); a used one cannot be revoked (409 invite_used). */
  async revokeInvite(id: string) {
    const row = isUuid(id) ? await this.ctx.db.invite.findUnique({ where: { id } }) : null;
    if (!row) throw notFound('Invite');
    if (row.usedAt) throw new AppError(409, 'invite_used', 'This invite has already been used');
    await this.ctx.db.invite.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
