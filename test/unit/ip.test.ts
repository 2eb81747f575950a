import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyIp, parseIp } from '../../server/src/analysis/model/ip';

describe('IP parsing and classes', () => {
  const cases: [string, string | undefined][] = [
    ['91.198.174.192', 'public'],
    ['10.1.2.3', 'private'],
    ['172.31.255.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.251', 'link-local-multicast'],
    ['239.1.1.1', 'multicast'],
    ['203.0.113.10', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['ff02::fb', 'link-local-multicast'],
    ['fd00::5', 'private'],
    ['2001:db8::10', 'documentation'],
    ['2606:4700::6810:84e5', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['1.2.3.256', undefined],
    ['01.2.3.4', undefined],
    ['1.2.3', undefined],
    ['en.wikipedia.org', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${text || '(empty)'} → ${expected ?? 'not an IP'}`, () => {
      const ip = parseIp(text);
      assert.equal(ip ? classifyIp(ip) : undefined, expected);
    });
  }
});
