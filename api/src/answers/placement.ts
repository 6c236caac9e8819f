// Where a new answer or call goes: the least-loaded healthy media node (registered in
// `media_nodes` by media/src/node/MediaNode.ts, heartbeat fresh, not draining, below its
// capacity). Load is the answers in progress there, counted from `answers` itself, so answers
// placed a moment ago count at once (a heartbeat's figure would lag). With no node registered at
// all (a single media process that predates the registry, or tests of the API alone) the
// configured MEDIA_PUBLIC_URL is the one node.
import type { Config } from '@rehearse/core/config';
import { MEDIA_NODE_STALE_MS } from '@rehearse/core/limits';
import type { PrismaClient } from '@rehearse/db';
import { HttpError } from '../plugins/errors.ts';

export async function placeRoom(db: PrismaClient, config: Pick<Config, 'media'>, now = new Date()): Promise<string> {
  const fresh = new Date(now.getTime() - MEDIA_NODE_STALE_MS);
  const [best] = await db.$queryRaw<{ public_url: string }[]>`
    SELECT n.public_url
    FROM media_nodes n
    LEFT JOIN answers a ON a.media_url = n.public_url AND a.status IN ('created', 'recording')
    WHERE n.status = 'active' AND n.heartbeat_at >= ${fresh}
    GROUP BY n.id
    HAVING COUNT(a.id) < n.capacity
    ORDER BY COUNT(a.id)::float / n.capacity, random()
    LIMIT 1`;
  if (best) return best.public_url;
  if ((await db.mediaNode.count()) === 0) return config.media.publicUrl;
  throw new HttpError(503, 'MEDIA_UNAVAILABLE', 'Every media server is busy or unreachable; try again in a minute');
}

/** The internal address of the node that hosts `mediaUrl` (the configured one when it is not registered). */
export async function internalUrlOf(db: PrismaClient, config: Pick<Config, 'mediaInternalUrl'>, mediaUrl: string): Promise<string> {
  return (await db.mediaNode.findUnique({ where: { publicUrl: mediaUrl }, select: { internalUrl: true } }))?.internalUrl ?? config.mediaInternalUrl;
}
