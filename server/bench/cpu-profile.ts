/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the CPU time went, by function
 * (self and inclusive time) and by package. Optionally only the samples taken inside a time window,
 * given in microseconds of the monotonic clock (`process.hrtime`), which V8's profile timestamps
 * share on Linux.
 *
 *   node bench/cpu-profile.ts <file.cpuprofile> [top=25]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface TimeShare {
  name: string;
  ms: number;
  /** Of the busy (non-idle) time in the window. */
  percent: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  idleMs: number;
  /** Whether the requested window overlapped the profile (else every sample counts). */
  windowApplied: boolean;
  selfByFunction: TimeShare[];
  inclusiveByFunction: TimeShare[];
  selfByPackage: TimeShare[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
const SERVER_SRC = '/server/src/';

function shortLocation(url: string): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules + '/node_modules/'.length);
  const src = path.indexOf(SERVER_SRC);
  if (src >= 0) return `src/${path.slice(src + SERVER_SRC.length)}`;
  return path;
}

/** The package a frame belongs to: an npm package, the app's own code, Node's internals or V8. */
export function packageOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url.replace(/^file:\/\//, '');
  if (url === '') return '(V8 builtins / native)';
  if (url.startsWith('node:')) return 'node: internals';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const [first = '', second = ''] = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.includes(SERVER_SRC)) return 'app (server/src)';
  return url;
}

function functionKey(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const name = frame.functionName || '(anonymous)';
  const location = shortLocation(frame.url);
  return location ? `${name} ${location}:${frame.lineNumber + 1}` : `${name} (native)`;
}

export function summariseProfile(profile: CpuProfile, window?: { fromUs: number; toUs: number }, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Sample i lasts until sample i+1 (Chrome DevTools' convention); the last one gets the mean interval.
  const timestamps: number[] = [];
  let clock = profile.startTime;
  for (const delta of profile.timeDeltas) timestamps.push((clock += delta));
  const meanInterval = profile.samples.length > 1 ? (timestamps.at(-1)! - timestamps[0]!) / (profile.samples.length - 1) : 1000;

  const overlaps = window !== undefined && window.fromUs < profile.endTime && window.toUs > profile.startTime;
  const selfUsByNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const at = timestamps[i]!;
    if (overlaps && (at < window.fromUs || at > window.toUs)) continue;
    const duration = i + 1 < timestamps.length ? timestamps[i + 1]! - at : meanInterval;
    const id = profile.samples[i]!;
    selfUsByNode.set(id, (selfUsByNode.get(id) ?? 0) + duration);
  }

  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUsByNode) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    self.set(functionKey(frame), (self.get(functionKey(frame)) ?? 0) + us);
    packages.set(packageOf(frame), (packages.get(packageOf(frame)) ?? 0) + us);
  }

  // Inclusive time: each sample counts once for every distinct function on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUsByNode) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)!.callFrame;
      if (SPECIAL.has(frame.functionName)) continue;
      seen.add(functionKey(frame));
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }

  const busyUs = totalUs - idleUs;
  const rank = (map: Map<string, number>, count: number): TimeShare[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }));

  return {
    windowMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    windowApplied: overlaps,
    selfByFunction: rank(self, top),
    inclusiveByFunction: rank(inclusive, top),
    selfByPackage: rank(packages, top),
  };
}

export async function readProfile(path: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
}

export function formatSummary(summary: ProfileSummary): string {
  const table = (title: string, rows: TimeShare[]) =>
    [`${title}`, ...rows.map((row) => `  ${row.percent.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`)].join('\n');
  return [
    `CPU profile: ${summary.windowMs.toFixed(0)} ms sampled${summary.windowApplied ? ' (the scenario window only)' : ''}, ` +
      `${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle; percentages are of busy time`,
    table('self time by package:', summary.selfByPackage.slice(0, 15)),
    table('self time by function:', summary.selfByFunction),
    table('inclusive time by function (a sample counts once per function on its stack):', summary.inclusiveByFunction),
  ].join('\n\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node bench/cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatSummary(summariseProfile(await readProfile(path), undefined, Number(top ?? 25))));
}
