/** A session's device as people name it. */
export interface DeviceDescription {
  /** "Chrome on Linux", "curl", "Unknown device". */
  label: string;
  kind: 'desktop' | 'mobile' | 'program';
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(A|iOS)?\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/(Headless)?Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** Programs whose User-Agent is a bare name, as people know them. */
const PROGRAMS: Record<string, string> = { node: 'Node.js program', undici: 'Node.js program', curl: 'curl', wget: 'Wget' };

const firstMatch = (userAgent: string, table: [RegExp, string][]) => table.find(([pattern]) => pattern.test(userAgent))?.[1];

/** Turns a `User-Agent` header into "Firefox on Windows"; programs (curl, node) keep their own name. */
export function describeDevice(userAgent: string | null | undefined): DeviceDescription {
  if (!userAgent) return { label: 'Unknown device', kind: 'program' };
  const browser = firstMatch(userAgent, BROWSERS);
  const system = firstMatch(userAgent, SYSTEMS);
  if (!browser || !userAgent.startsWith('Mozilla/')) {
    const program = /^[\w.-]+/.exec(userAgent)?.[0];
    return { label: program ? (PROGRAMS[program.toLowerCase()] ?? program) : 'Unknown program', kind: 'program' };
  }
  const mobile = /Mobile|Android|iPhone|iPad/.test(userAgent);
  return { label: system ? `${browser} on ${system}` : browser, kind: mobile ? 'mobile' : 'desktop' };
}
