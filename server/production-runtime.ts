/**
 * How production runs the built server: `npm start`, the Dockerfile and the benchmark use these,
 * and `server/test/deployment-files.test.ts` checks that they agree. Both trade a little
 * allocation speed for resident memory measured by the benchmark (docs/benchmarks.md).
 */

/**
 * A 4 MB young generation instead of 16 MB: less memory held between scavenges. `gc` exposed so
 * the server can give back the pages a burst left behind once it is quiet (idle-memory-release.ts).
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=4', '--expose-gc'];

/**
 * glibc gives each thread that allocates (libuv's pool runs bcrypt and crypto) an arena of its own
 * and seldom returns them: two arenas cut some 100 MB after load, at no measured cost.
 */
export const PRODUCTION_ENVIRONMENT = { MALLOC_ARENA_MAX: '2' };
