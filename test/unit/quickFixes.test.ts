import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix } from '../../server/src/analysis/findings';
import { cleanExternalName, hostOfUrlLike } from '../../server/src/analysis/rules/fixes/externalNameHost';
import { suppressionFixes } from '../../server/src/analysis/suppressionFixes';
import { range } from '../../server/src/analysis/text';
import { Project } from '../../server/src/analysis/engine/project';

const URI = 'file:///unit/fixes.yaml';

function apply(text: string, fix: Fix | undefined): string {
  assert.ok(fix);
  return TextDocument.applyEdits(
    TextDocument.create(URI, 'yaml', 1, text),
    fix.edits.map((e) => ({ range: e.range, newText: e.newText })),
  );
}

describe('document-rule fixes', () => {
  const rule = 'apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n  host: d\n';
  const service = 'kind: Service\napiVersion: v1\nmetadata:\n  name: d\nspec:\n  ports:\n  - {name: http, port: 80}\n---\n';

  it('are placed in the file and follow their document when a document above grows (the parse is reused)', () => {
    const project = new Project();
    project.setFile(URI, service + rule);
    const first = project.findings(URI).find((f) => f.code === 'EGR003');
    assert.deepEqual(first?.fixes?.[0]?.edits[0]?.range, range(8, 12, 8, 39));
    const longer = service.replace('spec:', '# a comment\nspec:') + rule;
    const model = project.setFile(URI, longer);
    assert.equal(model.parsedCount, 1, 'only the edited document was parsed again');
    const second = project.findings(URI).find((f) => f.code === 'EGR003');
    assert.deepEqual(second?.fixes?.[0]?.edits[0]?.range, range(9, 12, 9, 39));
    assert.equal(second?.fixes?.[0]?.preferred, true);
    assert.match(apply(longer, second?.fixes?.[0]), /\napiVersion: networking\.istio\.io\/v1\n/);
  });
});

describe('Endpoints port naming (EGR303)', () => {
  it("adds the name to a block-style port mapping at the mapping's indentation", () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: w\nspec:\n  ports:\n  - {name: https, port: 443}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: w\nsubsets:\n- addresses: [{ip: 91.198.174.192}]\n  ports:\n  - port: 443\n    protocol: TCP\n';
    const project = new Project();
    project.setFile(URI, text);
    const finding = project.findings(URI).find((f) => f.code === 'EGR303');
    assert.equal(finding?.fixes?.[0]?.title, "Name this Endpoints port 'https'");
    const fixed = apply(text, finding?.fixes?.[0]);
    assert.match(fixed, /\n {2}- name: https\n {4}port: 443\n {4}protocol: TCP\n$/);
    project.setFile(URI, fixed);
    assert.deepEqual(project.findings(URI), []);
  });

  it('offers no naming fix for a single-pair mapping inside a flow sequence, where no edit keeps it one port', () => {
    const text =
      'kind: Service\napiVersion: v1\nmetadata:\n  name: w\nspec:\n  ports:\n  - {name: https, port: 443}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: w\nsubsets:\n- addresses: [{ip: 91.198.174.192}]\n  ports: [port: 443]\n';
    const project = new Project();
    project.setFile(URI, text);
    const finding = project.findings(URI).find((f) => f.code === 'EGR303');
    assert.ok(finding, 'the unnamed port is reported');
    assert.deepEqual(finding.fixes ?? [], []);
  });
});

describe('created resources (EGR301)', () => {
  it('keep the line breaks of a CRLF file', () => {
    const text = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: db\r\nspec:\r\n  ports:\r\n  - {name: tcp, port: 5432}\r\n';
    const project = new Project();
    project.setFile(URI, text);
    const fixed = apply(text, project.findings(URI).find((f) => f.code === 'EGR301')?.fixes?.[0]);
    assert.match(fixed, /kind: Endpoints\r\n/);
    assert.equal(/[^\r]\n/.test(fixed), false, 'no bare line feed');
  });

  it('quote a name or namespace that would not read back as a string', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: "1234"\nspec:\n  ports:\n  - {name: tcp, port: 5432}\n';
    const project = new Project();
    project.setFile(URI, text);
    const fix = project.findings(URI).find((f) => f.code === 'EGR301')?.fixes?.[0];
    const fixed = apply(text, fix);
    assert.match(fixed, /kind: Endpoints\nmetadata:\n {2}name: db\n {2}namespace: "1234"\n/);
    project.setFile(URI, fixed);
    assert.deepEqual(
      project
        .findings(URI)
        .filter((f) => f.severity === 'error' || f.severity === 'warning')
        .map((f) => f.code),
      [],
    );
  });
});

describe('exact rule against a wildcard ISTIO_MUTUAL (EGR402)', () => {
  it("goes into the Service's namespace, where its exact host beats a wildcard of that same namespace", () => {
    const text =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: shop-mtls\n  namespace: shop\nspec:\n' +
      '  host: "*.shop.svc.cluster.local"\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n---\n' +
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: legacy-db\n  namespace: shop\nspec:\n  host: other\n---\n' +
      'kind: Service\napiVersion: v1\nmetadata:\n  name: legacy-db\n  namespace: shop\nspec:\n  ports:\n  - {name: tls, port: 6432}\n---\n' +
      'kind: Endpoints\napiVersion: v1\nmetadata:\n  name: legacy-db\n  namespace: shop\nsubsets:\n- addresses: [{ip: 10.20.30.40}]\n  ports: [{name: tls, port: 6432}]\n';
    const project = new Project();
    project.setFile(URI, text);
    const before = project.findings(URI);
    const finding = before.find((f) => f.code === 'EGR402');
    assert.equal(finding?.fixes?.length, 1);
    const fixed = apply(text, finding?.fixes?.[0]);
    // The name 'legacy-db' is taken in the namespace, so the new rule gets another one; the host is written in full.
    assert.match(
      fixed,
      /\n---\napiVersion: networking\.istio\.io\/v1\nkind: DestinationRule\nmetadata:\n {2}name: legacy-db-tls\n {2}namespace: shop\nspec:\n {2}host: legacy-db\.shop\.svc\.cluster\.local\n/,
    );
    project.setFile(URI, fixed);
    const after = project.findings(URI).map((f) => f.code);
    assert.deepEqual(
      after,
      before.filter((f) => f !== finding).map((f) => f.code),
    );
  });
});

describe('externalName clean-up (EGR101)', () => {
  it('keeps the host of a URL, lower case, without user, port, path or query', () => {
    assert.equal(hostOfUrlLike('HTTPS://user@Api.Example.com:8443/v1/get?x=1'), 'api.example.com');
    assert.equal(hostOfUrlLike('HttpBin.org.'), 'httpbin.org.');
  });

  it('offers nothing when the result would still be refused or is an IP address', () => {
    const valid = (host: string): boolean => /^[a-z0-9.-]+$/.test(host);
    const at = (value: string): { value: string; range: ReturnType<typeof range> } => ({ value, range: range(0, 0, 0, value.length) });
    assert.equal(cleanExternalName(at('http://203.0.113.10/'), valid), undefined);
    assert.equal(
      cleanExternalName(at('my_host.example.com'), () => false),
      undefined,
    );
    assert.equal(cleanExternalName(at('https://HttpBin.org/'), valid)?.edits[0]?.newText, 'httpbin.org');
  });
});

describe('suppression fixes', () => {
  const finding = (line: number, code = 'EGR402'): { code: string; uri: string; range: ReturnType<typeof range> } => ({ code, uri: URI, range: range(line, 6, line, 18) });

  it("keeps the file's CRLF line breaks and the line's indentation", () => {
    const text = 'spec:\r\n  tls:\r\n    mode: ISTIO_MUTUAL\r\n';
    const [onLine, inFile] = suppressionFixes(finding(2), text);
    assert.equal(apply(text, onLine), 'spec:\r\n  tls:\r\n    # istio-egress-disable EGR402\r\n    mode: ISTIO_MUTUAL\r\n');
    assert.equal(apply(text, inFile), `# istio-egress-disable-file EGR402\r\n${text}`);
    assert.ok(!onLine?.preferred && !inFile?.preferred);
  });

  it('adds the code to an existing file directive, wherever it is', () => {
    const text = 'kind: Service\n# istio-egress-disable-file EGR411  \nspec: {}\n';
    const [, inFile] = suppressionFixes(finding(2), text);
    assert.equal(apply(text, inFile), 'kind: Service\n# istio-egress-disable-file EGR411, EGR402  \nspec: {}\n');
  });

  it('does not extend a file directive into a line directive', () => {
    const text = '# istio-egress-disable-file EGR411\nmode: ISTIO_MUTUAL\n';
    const [onLine] = suppressionFixes(finding(1), text);
    assert.equal(apply(text, onLine), '# istio-egress-disable-file EGR411\n# istio-egress-disable EGR402\nmode: ISTIO_MUTUAL\n');
  });
});
