import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkContextName,
  checkDnsLabel,
  checkDnsSubdomain,
  checkFilePath,
  checkHostname,
  checkLabelSelector,
  checkPort,
  checkServiceName,
  checkUrlPath,
  describeValidationError,
} from '../../server/src/probe/validate';

const HOSTILE = [
  'x; rm -rf /',
  '$(id)',
  '`id`',
  '--kubeconfig=/etc/x',
  '-n',
  '-',
  'a b',
  'a\tb',
  'a\nb',
  '',
  'default\u0000',
  // Cyrillic "е" and a right-to-left override: look-alikes.
  'dеfault',
  'default\u202e',
  'de\u200bfault',
  'a|b',
  'a&b',
  "a'b",
  'a"b',
  'a>b',
];

describe('probe input validation refuses hostile names before any process starts', () => {
  for (const [name, check] of [
    ['namespace', checkDnsLabel],
    ['service', checkServiceName],
    ['pod', checkDnsSubdomain],
    ['tlsHost', checkHostname],
    ['context', checkContextName],
    ['sourceSelector', checkLabelSelector],
  ] as const) {
    for (const value of HOSTILE) {
      it(`${name} refuses ${JSON.stringify(value)}`, () => {
        const error = check(name, value);
        assert.ok(error, `${JSON.stringify(value)} was accepted`);
        assert.equal(error.field, name);
        assert.match(describeValidationError(error), new RegExp(`^invalid ${name} `));
      });
    }
  }

  it('object names refuse path tricks', () => {
    assert.ok(checkDnsLabel('namespace', '../etc'));
    assert.ok(checkDnsSubdomain('pod', '../etc'));
    assert.ok(checkServiceName('service', '..'));
  });

  it('names the option problem for values starting with "-"', () => {
    assert.match(checkDnsLabel('namespace', '-n')?.reason ?? '', /read as an option/);
    assert.match(checkContextName('context', '--kubeconfig=/etc/x')?.reason ?? '', /read as an option/);
    assert.match(checkFilePath('kubeconfig', '--token=x')?.reason ?? '', /read as an option/);
  });

  it('accepts ordinary Kubernetes names', () => {
    assert.equal(checkDnsLabel('namespace', 'without-istio'), undefined);
    assert.equal(checkServiceName('service', 'my-httpbin'), undefined);
    assert.equal(checkDnsSubdomain('pod', 'curl-5b549b49b8-7xk2p'), undefined);
    assert.equal(checkDnsSubdomain('pod', 'web.v2-0'), undefined);
  });

  it('applies the length limits', () => {
    assert.ok(checkDnsLabel('namespace', 'a'.repeat(64)));
    assert.equal(checkDnsLabel('namespace', 'a'.repeat(63)), undefined);
    assert.ok(checkDnsSubdomain('pod', `${'a'.repeat(63)}.`.repeat(4) + 'a'));
  });

  it('service names must start with a letter (DNS-1035)', () => {
    assert.ok(checkServiceName('service', '1st-svc'));
    assert.ok(checkServiceName('service', 'My-Svc'));
  });

  it('accepts the context names clouds generate', () => {
    for (const context of ['arn:aws:eks:us-east-1:123456789012:cluster/prod', 'gke_my-project_europe-west1-b_prod', 'kind-dev', 'admin@k8s.local', 'user/cluster:6443']) {
      assert.equal(checkContextName('context', context), undefined, context);
    }
  });

  it('host names are lower-case RFC 1123, or IPs', () => {
    assert.equal(checkHostname('tlsHost', 'en.wikipedia.org'), undefined);
    assert.equal(checkHostname('tlsHost', '91.198.174.192'), undefined);
    assert.equal(checkHostname('tlsHost', '2001:db8::1'), undefined);
    assert.match(checkHostname('tlsHost', 'En.Wikipedia.org')?.reason ?? '', /lower case/);
    for (const bad of ['https://en.wikipedia.org', 'en.wikipedia.org:443', 'en.wikipedia.org/wiki', 'under_score.org', 'a..b', 'bücher.de', '-a.org']) {
      assert.ok(checkHostname('tlsHost', bad), bad);
    }
  });

  it('ports are integers from 1 to 65535', () => {
    assert.equal(checkPort('port', 443), undefined);
    for (const bad of [0, 65536, -1, 80.5, Number.NaN]) assert.ok(checkPort('port', bad), String(bad));
  });

  it('paths start with "/" and hold no whitespace or control characters', () => {
    assert.equal(checkUrlPath('httpPath', '/headers'), undefined);
    assert.equal(checkUrlPath('httpPath', '/wiki/Main_Page?x=1&y=%20'), undefined);
    for (const bad of ['headers', '/a b', '/a\nb', '/\u00e9', '-/x', '']) assert.ok(checkUrlPath('httpPath', bad), bad);
  });

  it('label selectors: equality forms only', () => {
    for (const good of ['app=curl', 'app==sleep', 'app!=x', 'app', '!canary', 'app.kubernetes.io/name=curl,tier=test', 'app=']) {
      assert.equal(checkLabelSelector('sourceSelector', good), undefined, good);
    }
    for (const bad of ['app in (curl,sleep)', 'app=cu rl', '=curl', 'app=curl;id', 'app=$(id)', '-l', 'a/b/c=d']) {
      assert.ok(checkLabelSelector('sourceSelector', bad), bad);
    }
  });

  it('file paths may hold spaces but not options or control characters', () => {
    assert.equal(checkFilePath('kubeconfig', '/home/John Doe/.kube/config'), undefined);
    assert.equal(checkFilePath('kubectlPath', 'kubectl'), undefined);
    assert.ok(checkFilePath('kubeconfig', '/tmp/x\n--token=y'));
    assert.ok(checkFilePath('kubeconfig', ''));
  });
});
