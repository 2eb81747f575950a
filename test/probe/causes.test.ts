import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeCauses, type StepResult } from '../../server/src/probe/causes';
import { judgeStep } from '../../server/src/probe/judgeStep';
import type { KubectlResult } from '../../server/src/shared/kubectlRunner';
import type { ProbePlan } from '../../server/src/probe/planTypes';
import { probeSettings } from '../../server/src/shared/probeSettings';
import { CLUSTER_IP } from './fixtures/kube';
import { HTTPBIN_ISTIO_MUTUAL, modelFromYaml } from './fixtures/fileModels';
import { WIKIPEDIA_SEED } from '../support/seedManifests';
import * as out from './fixtures/outputs';
import { httpbinPlan, RULES, stepOf, wikipediaPlan } from './fixtures/steps';

const URI = 'file:///work/egress.yaml';

function judgeAll(plan: ProbePlan, answers: { sidecar: KubectlResult; direct: KubectlResult }, settings = probeSettings()): StepResult[] {
  const results = [
    { step: stepOf(plan, 'no-sidecar'), verdict: judgeStep(stepOf(plan, 'no-sidecar'), answers.direct) },
    { step: stepOf(plan, 'sidecar'), verdict: judgeStep(stepOf(plan, 'sidecar'), answers.sidecar) },
  ];
  return attributeCauses(plan, results, undefined, settings);
}

function sidecarVerdict(results: StepResult[]): StepResult['verdict'] {
  return results.find((r) => r.step.source.mode === 'sidecar')!.verdict;
}

describe('likely causes and blame', () => {
  it("blames the ISTIO_MUTUAL DestinationRule's tls.mode for Envoy's 503 through the sidecar (EGR402), at its line in the file", () => {
    const file = modelFromYaml(URI, HTTPBIN_ISTIO_MUTUAL);
    const plan = httpbinPlan({ rules: [RULES.httpbinMutual], entries: [RULES.httpbinEntry], file });
    const results = attributeCauses(
      plan,
      [
        { step: stepOf(plan, 'no-sidecar'), verdict: judgeStep(stepOf(plan, 'no-sidecar'), out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR })) },
        { step: stepOf(plan, 'sidecar'), verdict: judgeStep(stepOf(plan, 'sidecar'), out.result({ stdout: out.ENVOY_503_TLS_ERROR })) },
      ],
      file,
      probeSettings(),
    );
    const verdict = sidecarVerdict(results);
    assert.equal(verdict.status, 'fail');
    assert.match(verdict.likelyCause ?? '', /^DestinationRule default\/httpbin-org sets tls\.mode ISTIO_MUTUAL toward httpbin\.org, which is outside the mesh.*\(EGR402\)/);
    assert.deepEqual(verdict.blame && { ...verdict.blame, message: '' }, {
      kind: 'DestinationRule',
      name: 'httpbin-org',
      namespace: 'default',
      field: 'spec.trafficPolicy.tls.mode',
      rule: 'EGR402',
      message: '',
      location: { uri: URI, range: { start: { line: 20, character: 12 }, end: { line: 20, character: 24 } } },
    });
    assert.equal(HTTPBIN_ISTIO_MUTUAL.split('\n')[20]?.slice(12, 24), 'ISTIO_MUTUAL');
    assert.equal(results[0]?.verdict.likelyCause, undefined, 'a passing step gets no cause');
  });

  it('blames ISTIO_MUTUAL for a TLS handshake cut by the sidecar (my-wikipedia), without a file: no location', () => {
    const plan = wikipediaPlan({ rules: [RULES.wikipediaMutual] });
    const results = judgeAll(plan, {
      direct: out.result({ stderr: out.tlsVerboseOk(CLUSTER_IP) }),
      sidecar: out.result({ exitCode: 35, stderr: out.tlsHandshakeReset(CLUSTER_IP) }),
    });
    const blame = sidecarVerdict(results).blame;
    assert.equal(blame?.rule, 'EGR402');
    assert.equal(blame?.name, 'my-wikipedia');
    assert.equal(blame?.location, undefined);
  });

  it('blames SIMPLE on a TLS port (TLS inside TLS)', () => {
    const file = modelFromYaml(URI, WIKIPEDIA_SEED.replace('mode: DISABLE', 'mode: SIMPLE'));
    const plan = wikipediaPlan({ rules: [RULES.wikipediaSimple], file });
    const results = attributeCauses(
      plan,
      [{ step: stepOf(plan, 'sidecar'), verdict: judgeStep(stepOf(plan, 'sidecar'), out.result({ exitCode: 35, stderr: out.tlsHandshakeReset(CLUSTER_IP) })) }],
      file,
      probeSettings(),
    );
    const verdict = sidecarVerdict(results);
    assert.match(verdict.likelyCause ?? '', /tls\.mode SIMPLE: the sidecar originates TLS on a port where the client already speaks TLS/);
    assert.equal(verdict.blame?.location?.range.start.line, 30);
  });

  it("REGISTRY_ONLY without a ServiceEntry: blames the missing registration at the Service's externalName", () => {
    const file = modelFromYaml(URI, HTTPBIN_ISTIO_MUTUAL.split('---')[0] ?? '');
    const plan = httpbinPlan({ file });
    const results = attributeCauses(
      plan,
      [
        { step: stepOf(plan, 'no-sidecar'), verdict: judgeStep(stepOf(plan, 'no-sidecar'), out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR })) },
        { step: stepOf(plan, 'sidecar'), verdict: judgeStep(stepOf(plan, 'sidecar'), out.result({ stdout: out.ENVOY_502_BLACKHOLE })) },
      ],
      file,
      probeSettings({ outboundTrafficPolicy: 'REGISTRY_ONLY' }),
    );
    const verdict = sidecarVerdict(results);
    assert.match(verdict.likelyCause ?? '', /REGISTRY_ONLY.*BlackHoleCluster.*Add a ServiceEntry for httpbin\.org/);
    assert.deepEqual([verdict.blame?.kind, verdict.blame?.field, verdict.blame?.location?.range.start.line], ['Service', 'spec.externalName', 6]);
  });

  it('the sidecar fails where the direct path works, with a ServiceEntry and no TLS rule: the mesh config, no single field', () => {
    const plan = httpbinPlan({ entries: [RULES.httpbinEntry] });
    const results = judgeAll(plan, { direct: out.result({ stdout: out.HTTP_200_WITHOUT_SIDECAR }), sidecar: out.RECV_RESET });
    const verdict = sidecarVerdict(results);
    assert.match(verdict.likelyCause ?? '', /direct path works but the sidecar's fails: the mesh configuration for httpbin\.org.*ServiceEntry default\/httpbin-org/);
    assert.equal(verdict.blame, undefined);
  });

  it('an ExternalName that does not resolve: blames spec.externalName', () => {
    const plan = httpbinPlan();
    const results = judgeAll(plan, { direct: out.DNS_FAILURE, sidecar: out.DNS_FAILURE });
    for (const r of results) {
      assert.match(r.verdict.likelyCause ?? '', /ExternalName target httpbin\.org does not resolve/);
      assert.equal(r.verdict.blame?.field, 'spec.externalName');
    }
  });

  it("Endpoints that do not answer: blames the Endpoints addresses at the first one's line", () => {
    const file = modelFromYaml(URI, WIKIPEDIA_SEED);
    const plan = wikipediaPlan({ file });
    const results = attributeCauses(plan, [{ step: stepOf(plan, 'no-sidecar'), verdict: judgeStep(stepOf(plan, 'no-sidecar'), out.CURL_TIMEOUT) }], file, probeSettings());
    const verdict = results[0].verdict;
    assert.match(verdict.likelyCause ?? '', /None of the Endpoints addresses \(91\.198\.174\.192, 198\.35\.26\.96\) answered on port 443/);
    assert.deepEqual([verdict.blame?.kind, verdict.blame?.field, verdict.blame?.location?.range.start.line], ['Endpoints', 'subsets.addresses', 16]);
  });

  it('only the sidecar path works: says direct egress is blocked', () => {
    const plan = httpbinPlan({ entries: [RULES.httpbinEntry] });
    const results = judgeAll(plan, { direct: out.CONNECTION_REFUSED, sidecar: out.result({ stdout: out.HTTP_200_THROUGH_SIDECAR }) });
    assert.match(results[0]?.verdict.likelyCause ?? '', /Only the path through the sidecar works/);
  });
});
