/**
 * Setting a value and telling the fleet's waiters, in the order that cannot lose a wake-up (value first):
 * on one server one script does `SET … PX` then `PUBLISH`; on a cluster a script may only publish to a shard
 * channel in its key's slot, so the `SET` script is followed by an `SPUBLISH` to the channel's shard.
 */
import type { ClientAdapter } from './client-adapter';
import type { RunCommand } from './command-runner';

const SET_AND_PUBLISH = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

const SET_PX = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export interface SetAndNotify {
  readonly key: string;
  readonly payload: string;
  /** TTL in ms, already bounded. */
  readonly px: string;
  readonly channel: string;
  /** What waiters receive: the key's hash. */
  readonly message: string;
}

export async function setAndNotify(run: RunCommand, adapter: ClientAdapter, op: SetAndNotify): Promise<void> {
  if (!adapter.cluster) {
    await run('SET', (signal) => adapter.eval(SET_AND_PUBLISH, [op.key], [op.payload, op.px, op.channel, op.message], signal));
    return;
  }
  await run('SET', (signal) => adapter.eval(SET_PX, [op.key], [op.payload, op.px], signal));
  // The value is stored: a lost notification only makes waiters find it at their next safety poll.
  await run('SPUBLISH', (signal) => adapter.publish(op.channel, op.message, signal)).catch(() => undefined);
}
