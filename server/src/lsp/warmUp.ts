import { Analysis } from '../analysis/engine/analysis';
import type { YamlService } from '../schema/yamlService';
import { REQUESTS } from './requestGate';

const SAMPLE = `kind: Service
apiVersion: v1
metadata:
  name: warm-up
spec:
  type: ExternalName
  externalName: warm-up.example.com
  ports:
  - {name: http, port: 80}
---
kind: Service
apiVersion: v1
metadata:
  name: warm-up-ips
spec:
  ports:
  - {name: tls, port: 443}
---
kind: Endpoints
apiVersion: v1
metadata:
  name: warm-up-ips
subsets:
- addresses: [{ip: 203.0.113.10}]
  ports: [{name: tls, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: warm-up
spec:
  hosts: [warm-up.example.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: warm-up
spec:
  hosts: [warm-up.example.com]
  http:
  - route:
    - destination: {host: warm-up.example.com, port: {number: 80}, subset: v1}
    mirror: {host: warm-up-ips}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: warm-up
spec:
  host: warm-up-ips
  trafficPolicy:
    tls:
      mode: DISABLE
`;

/**
 * Runs every stage once on a small sample before the server answers `initialize`: the parser, the schema validator,
 * the rules and yaml-language-server are compiled and initialised then, not on the user's first file or keystroke.
 */
export async function warmUp(yaml: YamlService): Promise<void> {
  const project = new Analysis();
  const model = project.setFile('warm-up:/sample.yaml', SAMPLE);
  project.findings('warm-up:/sample.yaml');
  const rule = model.documents[model.documents.length - 1];
  if (!rule) return;
  const position = { line: rule.startLine + 8, character: 12 };
  project.completionsAt('warm-up:/sample.yaml', position);
  await yaml.complete(rule.doc, rule.startLine, position);
  await yaml.hover(rule.doc, rule.startLine, { line: rule.startLine + 5, character: 3 });
  // An edit too, so the incremental path (re-split, reused components, re-placed findings) is not cold either.
  project.setFile('warm-up:/sample.yaml', `# edited\n${SAMPLE.replace('mode: DISABLE', 'mode: ISTIO_MUTUAL')}`);
  project.findings('warm-up:/sample.yaml');
}

/**
 * After `initialized`, analyses distinct copies of the sample (no parse is reused) one per turn of the event loop, so
 * V8 optimises the parser, the reader and the rules in idle time: files opened later run optimised code (a fresh
 * 100-document file: ≈ 30 ms instead of ≈ 55 ms). Doing this before `initialize` instead would delay the first file by
 * ≈ 120 ms; one round (≈ 3 ms) at a time delays nothing noticeably.
 */
export async function warmUpInIdleTime(rounds = 120): Promise<void> {
  const project = new Analysis();
  for (let i = 0; i < rounds; i++) {
    await REQUESTS.turn();
    project.setFile('warm-up:/round.yaml', SAMPLE.replaceAll('warm-up', `warm-up-${i}`));
    project.findings('warm-up:/round.yaml');
  }
}
