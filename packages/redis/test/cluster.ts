/**
 * A real Redis Cluster on loopback for tests: six `redis-server --cluster-enabled yes` processes on free ports
 * (three masters, one replica each) in a temp dir, joined by `redis-cli --cluster create`, ready once every
 * node reports `cluster_state:ok`. Started and killed by PID; reusable by any test of this package (the store,
 * the rate limiter): `const cluster = await startCluster(); … await cluster.stop();`.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { Cluster as Cluster6 } from 'ioredis6';
import { Cluster as ValkeyCluster } from 'iovalkey';
import { createCluster } from 'redis';
import { createCluster as createCluster6 } from 'redis6';
import type { RedisClientLike } from '../src/index';
import { eventually, freePort, REDIS_HOST, type ClientKind, type TestClient } from './helpers';

const run = promisify(execFile);

export interface ClusterNode {
  readonly port: number;
  readonly pid: number | undefined;
  /** Whether the process is still running (a test may kill it). */
  readonly alive: boolean;
}

export interface TestCluster {
  readonly nodes: readonly ClusterNode[];
  /** `host:port` of every node, for a client's startup list. */
  readonly rootNodes: readonly { host: string; port: number }[];
  /** Runs `redis-cli -p port …` against one node and returns its output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the master serving `key`'s slot (asked of a live node). */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port` (its PID) and resolves once it has exited. */
  kill(port: number): Promise<void>;
  /**
   * Resolves once every live node reports `cluster_state:ok`, knows three masters that are up, and every live
   * replica is in sync with its master (so it can take over).
   */
  waitHealthy(attempts?: number): Promise<void>;
  /** Kills every node by PID and deletes the temp dir. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** `cluster-node-timeout` in ms: how long a master may be silent before its replica takes over. Default 1000. */
  readonly nodeTimeoutMs?: number;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'scopebound-cluster-'));
  const ports: number[] = [];
  while (ports.length < 6) {
    const port = await freePort();
    // The cluster bus listens on port + 10000: keep both in range and distinct.
    if (port + 10_000 < 65_536 && !ports.includes(port)) ports.push(port);
  }
  const children = new Map<number, ChildProcess>();
  const cli = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-h', REDIS_HOST, '-p', String(port), ...args], { timeout: 10_000 })).stdout;

  const cluster: TestCluster = {
    nodes: ports.map((port) => ({
      port,
      get pid() {
        return children.get(port)?.pid;
      },
      get alive() {
        const child = children.get(port);
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
    })),
    rootNodes: ports.map((port) => ({ host: REDIS_HOST, port })),
    cli,
    async masterOf(key) {
      const live = cluster.nodes.find((n) => n.alive);
      if (!live) throw new Error('no cluster node is running');
      const slot = Number((await cli(live.port, 'CLUSTER', 'KEYSLOT', key)).trim());
      const master = clusterNodes(await cli(live.port, 'CLUSTER', 'NODES')).find(
        (n) => n.master && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to),
      );
      if (!master) throw new Error(`no master serves slot ${slot}`);
      return master.port;
    },
    async kill(port) {
      const child = children.get(port);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    async waitHealthy(attempts = 300) {
      await eventually(async () => {
        for (const node of cluster.nodes) {
          if (!node.alive) continue;
          try {
            if (!(await cli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
            const masters = clusterNodes(await cli(node.port, 'CLUSTER', 'NODES')).filter((n) => n.master && !n.failed && n.slots.length > 0);
            if (masters.length < 3) return false;
            // A replica that has not finished its first sync cannot take over: wait for its link.
            const replication = await cli(node.port, 'INFO', 'replication');
            if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return false;
          } catch {
            return false;
          }
        }
        return true;
      }, attempts, 100);
    },
    async stop() {
      await Promise.all(ports.map((port) => cluster.kill(port)));
      await rm(dir, { recursive: true, force: true });
    },
  };

  try {
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port', String(port),
          '--bind', REDIS_HOST,
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 1_000),
          '--dir', dir,
          // Replicas sync at once, and a replica may take over however long ago it last heard its master.
          '--repl-diskless-sync-delay', '0',
          '--cluster-replica-validity-factor', '0',
          '--dbfilename', `dump-${port}.rdb`,
          '--save', '',
          '--appendonly', 'no',
        ],
        { stdio: 'ignore' },
      );
      children.set(port, child);
    }
    await eventually(async () => {
      for (const port of ports) if ((await cli(port, 'PING').catch(() => '')).trim() !== 'PONG') return false;
      return true;
    }, 100, 50);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `${REDIS_HOST}:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
    await cluster.waitHealthy();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

interface NodeLine {
  readonly port: number;
  readonly master: boolean;
  readonly failed: boolean;
  readonly slots: readonly [number, number][];
}

/** `CLUSTER NODES`: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>` per line. */
function clusterNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((f) => f.length >= 8)
    .map((f) => {
      const flags = f[2]!.split(',');
      return {
        port: Number(f[1]!.split('@')[0]!.split(':').pop()),
        master: flags.includes('master'),
        failed: flags.includes('fail') || flags.includes('fail?') || f[7] !== 'connected',
        slots: f.slice(8).filter((r) => !r.startsWith('[')).map((r) => {
          const [from, to] = r.split('-').map(Number);
          return [from!, to ?? from!] as [number, number];
        }),
      };
    });
}

/** A connected `createCluster` (node-redis) or `new Cluster` (ioredis) client; errors are swallowed (tests kill nodes). */
export async function connectCluster(kind: ClientKind, cluster: TestCluster): Promise<TestClient> {
  if (kind === 'node-redis' || kind === 'node-redis@6') {
    const create = (kind === 'node-redis' ? createCluster : createCluster6) as typeof createCluster;
    const client = create({
      rootNodes: cluster.rootNodes.map(({ host, port }) => ({ socket: { host, port, connectTimeout: 1_000, reconnectStrategy: () => 100 } })),
    });
    client.on('error', () => {});
    await client.connect();
    return {
      client: client as unknown as RedisClientLike,
      async close() {
        client.destroy();
      },
    };
  }
  const IoCluster = (kind === 'ioredis' ? Cluster : kind === 'iovalkey' ? ValkeyCluster : Cluster6) as typeof Cluster;
  const client = new IoCluster([...cluster.rootNodes], { lazyConnect: true, clusterRetryStrategy: () => 100 });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    async close() {
      client.disconnect();
    },
  };
}
