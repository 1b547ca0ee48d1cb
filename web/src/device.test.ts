import { describe, expect, it } from 'vitest';
import { describeDevice } from './device.ts';

describe('describeDevice', () => {
  it('names browsers and systems as people do', () => {
    expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36')).toEqual({
      label: 'Chrome on Linux',
      kind: 'desktop',
    });
    expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toEqual({
      label: 'Safari on iOS',
      kind: 'mobile',
    });
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0').label).toBe('Edge on Windows');
    expect(describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0').label).toBe('Firefox on macOS');
    expect(describeDevice('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36')).toEqual({
      label: 'Chrome on Android',
      kind: 'mobile',
    });
  });

  it('keeps programs apart from browsers', () => {
    expect(describeDevice('node')).toEqual({ label: 'Node.js program', kind: 'program' });
    expect(describeDevice('curl/8.5.0')).toEqual({ label: 'curl', kind: 'program' });
    expect(describeDevice('my-sync-tool/2.1')).toEqual({ label: 'my-sync-tool', kind: 'program' });
    expect(describeDevice(null)).toEqual({ label: 'Unknown device', kind: 'program' });
  });
});
