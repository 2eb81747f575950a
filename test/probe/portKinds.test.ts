import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { portKind } from '../../server/src/probe/portKinds';

const port = (fields: { name?: string; port?: number; protocol?: string; appProtocol?: string }) => ({
  port: fields.port ?? 80,
  protocol: fields.protocol ?? 'TCP',
  ...(fields.name ? { name: fields.name } : {}),
  ...(fields.appProtocol ? { appProtocol: fields.appProtocol } : {}),
});

describe('portKind: which curl probe fits a live Service port', () => {
  it('reads the protocol from the port name as Istio does', () => {
    assert.equal(portKind(port({ name: 'http' })), 'http');
    assert.equal(portKind(port({ name: 'http2-api' })), 'http');
    assert.equal(portKind(port({ name: 'tls', port: 443 })), 'tls');
    assert.equal(portKind(port({ name: 'https-web', port: 8443 })), 'tls');
    assert.equal(portKind(port({ name: 'grpc-web' })), 'other');
    assert.equal(portKind(port({ name: 'mysql', port: 3306 })), 'other');
  });

  it('lets appProtocol win over the name', () => {
    assert.equal(portKind(port({ name: 'http', appProtocol: 'https' })), 'tls');
    assert.equal(portKind(port({ name: 'web', appProtocol: 'kubernetes.io/h2c' })), 'http');
    assert.equal(portKind(port({ name: 'http', appProtocol: 'kubernetes.io/ws' })), 'other');
  });

  it('falls back on the port number for unnamed or unknown names, and skips UDP', () => {
    assert.equal(portKind(port({ port: 443 })), 'tls');
    assert.equal(portKind(port({ name: 'web', port: 443 })), 'tls');
    assert.equal(portKind(port({ name: 'web', port: 8080 })), 'http');
    assert.equal(portKind(port({ name: 'dns', port: 53, protocol: 'UDP' })), 'other');
  });
});
