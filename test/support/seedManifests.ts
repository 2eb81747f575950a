/**
 * The manifests of the seed task, Istio's "Kubernetes Services for Egress Traffic", as that page writes them:
 *
 * - first scenario: the ExternalName Service `my-httpbin`, an alias of httpbin.org on port 80, and the DestinationRule
 *   `my-httpbin` on the Service's cluster name with `tls.mode: DISABLE`;
 * - second scenario: the selector-less Service `my-wikipedia` on port 443 (named tls), hand-written Endpoints of the
 *   same name listing Wikipedia's addresses 91.198.174.192 and 198.35.26.96, and its DestinationRule with
 *   `tls.mode: DISABLE`.
 *
 * `examples/1-externalname-seed.yaml` and `examples/3-selectorless-endpoints.yaml` hold the same resources with
 * explanatory comments. The builders give the variants tests need (another TLS mode, host or namespace, fewer
 * addresses); with no arguments they return the page's text. Each document ends with a newline and carries no `---`:
 * tests join documents with `---\n`, as `HTTPBIN_SEED` and `WIKIPEDIA_SEED` do, and can count lines.
 */

export type TlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

/** The ExternalName Service `my-httpbin` → httpbin.org, port 80 named http. */
export const HTTPBIN_SERVICE = `kind: Service
apiVersion: v1
metadata:
  name: my-httpbin
spec:
  type: ExternalName
  externalName: httpbin.org
  ports:
  - name: http
    protocol: TCP
    port: 80
`;

/** `HTTPBIN_SERVICE` with its port written on one line in flow style (two lines shorter). */
export const HTTPBIN_SERVICE_ONE_LINE_PORT = HTTPBIN_SERVICE.replace('  - name: http\n    protocol: TCP\n    port: 80\n', '  - {name: http, protocol: TCP, port: 80}\n');

/** The seed's DestinationRule `my-httpbin` on the alias `my-httpbin.default.svc.cluster.local`, with `tlsMode`. */
export function httpbinDestinationRule(tlsMode: TlsMode = 'DISABLE'): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-httpbin
spec:
  host: my-httpbin.default.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ${tlsMode}
`;
}

/** The seed's DestinationRule on the alias, with `tls.mode: DISABLE` (no effect from Istio 1.21 on: EGR401). */
export const HTTPBIN_DESTINATION_RULE = httpbinDestinationRule();

/**
 * The DestinationRule `httpbin-org` on the ExternalName target httpbin.org itself, with `tlsMode`: where the rule has to
 * go from Istio 1.21 on, when one on the alias no longer applies (`examples/2-externalname-current.yaml`).
 */
export function httpbinOrgDestinationRule(tlsMode: TlsMode = 'DISABLE'): string {
  return httpbinDestinationRule(tlsMode).replace('  name: my-httpbin\n', '  name: httpbin-org\n').replace('  host: my-httpbin.default.svc.cluster.local\n', '  host: httpbin.org\n');
}

/** The first scenario in one file: `HTTPBIN_SERVICE`, then `HTTPBIN_DESTINATION_RULE`. */
export const HTTPBIN_SEED = `${HTTPBIN_SERVICE}---\n${HTTPBIN_DESTINATION_RULE}`;

/** The addresses the seed's Endpoints list for en.wikipedia.org. */
export const WIKIPEDIA_ADDRESSES: readonly string[] = ['91.198.174.192', '198.35.26.96'];

export interface WikipediaDocumentOptions {
  /** `metadata.namespace` to write under the name; by default none, as on the page. */
  readonly namespace?: string;
}

function metadataLines(name: string, namespace: string | undefined): string {
  return `metadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}`;
}

/** The selector-less Service `my-wikipedia`, port 443 named tls. */
export function wikipediaService(options: WikipediaDocumentOptions = {}): string {
  return `kind: Service
apiVersion: v1
${metadataLines('my-wikipedia', options.namespace)}spec:
  ports:
  - protocol: TCP
    port: 443
    name: tls
`;
}

export const WIKIPEDIA_SERVICE = wikipediaService();

export interface WikipediaEndpointsOptions extends WikipediaDocumentOptions {
  /** The addresses, in order; by default `WIKIPEDIA_ADDRESSES`. */
  readonly addresses?: readonly string[];
}

/** The hand-written Endpoints `my-wikipedia`: the addresses, port 443 named tls. */
export function wikipediaEndpoints(options: WikipediaEndpointsOptions = {}): string {
  const addresses = options.addresses ?? WIKIPEDIA_ADDRESSES;
  return `kind: Endpoints
apiVersion: v1
${metadataLines('my-wikipedia', options.namespace)}subsets:
  - addresses:
${addresses.map((address) => `      - ip: ${address}\n`).join('')}    ports:
      - port: 443
        name: tls
`;
}

export const WIKIPEDIA_ENDPOINTS = wikipediaEndpoints();

export interface WikipediaDestinationRuleOptions {
  /** `spec.host`; by default the Service's cluster name, as on the page. */
  readonly host?: string;
  readonly tlsMode?: TlsMode;
}

/** The DestinationRule `my-wikipedia`; by default on `my-wikipedia.default.svc.cluster.local` with `tls.mode: DISABLE`. */
export function wikipediaDestinationRule(options: WikipediaDestinationRuleOptions = {}): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-wikipedia
spec:
  host: ${options.host ?? 'my-wikipedia.default.svc.cluster.local'}
  trafficPolicy:
    tls:
      mode: ${options.tlsMode ?? 'DISABLE'}
`;
}

export const WIKIPEDIA_DESTINATION_RULE = wikipediaDestinationRule();

/** The second scenario in one file: Service, Endpoints and DestinationRule (`tls.mode` on line 31, 0-based 30). */
export const WIKIPEDIA_SEED = `${WIKIPEDIA_SERVICE}---\n${WIKIPEDIA_ENDPOINTS}---\n${WIKIPEDIA_DESTINATION_RULE}`;

/** `my-wikipedia`'s Service in the short flow style tests type by hand: no protocol, the port on one line. */
export const WIKIPEDIA_SERVICE_FLOW_STYLE = `kind: Service
apiVersion: v1
metadata:
  name: my-wikipedia
spec:
  ports:
  - {name: tls, port: 443}
`;

/** `my-wikipedia`'s Endpoints in the short flow style: only the first address, port 443 named tls. */
export const WIKIPEDIA_ENDPOINTS_FLOW_STYLE = `kind: Endpoints
apiVersion: v1
metadata:
  name: my-wikipedia
subsets:
- addresses: [{ip: 91.198.174.192}]
  ports: [{name: tls, port: 443}]
`;
