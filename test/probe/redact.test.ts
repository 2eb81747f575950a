import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../server/src/probe/redact';

const SECRETS = ['eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==', 'hunter2', 's3cr3t-value'];

describe('redactSecrets', () => {
  it('removes bearer tokens and Authorization headers (curl -v, kubectl -v=8)', () => {
    const text = [
      `> Authorization: Bearer ${SECRETS[0]}`,
      `I0314 09:31:02.123 round_trippers.go:469] curl -v -XGET -H "Authorization: Bearer ${SECRETS[0]}" 'https://127.0.0.1:40123/api'`,
      `Proxy-Authorization: Basic ${Buffer.from('user:hunter2').toString('base64')}`,
      `error: token Bearer ${SECRETS[0]} expired`,
    ].join('\n');
    const out = redactSecrets(text);
    assert.ok(!out.includes(SECRETS[0] ?? ''), out);
    assert.ok(!out.includes(Buffer.from('user:hunter2').toString('base64')), out);
    assert.match(out, /Authorization: <redacted>/);
    assert.match(out, /round_trippers\.go:469\] curl -v -XGET -H "Authorization: <redacted>"/);
  });

  it('removes kubeconfig credentials in YAML and JSON', () => {
    const yaml = `users:\n- name: admin\n  user:\n    token: ${SECRETS[0]}\n    client-key-data: ${SECRETS[1]}\n    password: ${SECRETS[2]}\n    username: admin\n`;
    const json = JSON.stringify({ user: { token: SECRETS[0], 'client-key-data': SECRETS[1], password: SECRETS[3], 'id-token': SECRETS[0], 'refresh-token': SECRETS[3] } });
    for (const text of [yaml, json]) {
      const out = redactSecrets(text);
      for (const secret of SECRETS) assert.ok(!out.includes(secret), `${secret} survived in ${out}`);
    }
    assert.match(redactSecrets(yaml), /username: admin/);
  });

  it('removes command-line credentials and PEM keys', () => {
    const out = redactSecrets(`kubectl --token=${SECRETS[0]} --password ${SECRETS[2]} get pods\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----`);
    for (const secret of [SECRETS[0], SECRETS[2], 'MIIEow']) assert.ok(!out.includes(secret ?? ''), out);
    assert.match(out, /get pods/);
  });

  it('leaves probe output alone', () => {
    const text = '* Connected to en.wikipedia.org (10.96.143.27) port 443\n"X-Envoy-Peer-Metadata-Id": "sidecar~10.244.1.17~curl.default"\nkubectl get service my-httpbin -n default -o json';
    assert.equal(redactSecrets(text), text);
  });
});
