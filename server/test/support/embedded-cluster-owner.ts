/**
 * A process that owns a persistent embedded cluster, for tests of what other processes do to it:
 * `node embedded-cluster-owner.ts <dataDir> <port>` starts the cluster, prints "ready" and waits;
 * SIGTERM stops the cluster and exits, SIGKILL leaves it orphaned.
 */
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.ts';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) throw new Error('usage: embedded-cluster-owner.ts <dataDir> <port>');
const cluster = await startEmbeddedPostgres({ dataDir, port: Number(port), persistent: true });
process.on('SIGTERM', () => void cluster.stop().then(() => process.exit(0)));
console.log('ready');
setInterval(() => {}, 60_000);
