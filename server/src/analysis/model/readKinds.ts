/**
 * Which texts hold a document the rules read, by a cheap scan instead of a parse: the workspace indexer leaves other
 * files alone, and rendered output blanks other documents (`render/readKinds.ts`). The kinds are those
 * `documents/readResource.ts` models; a workload counts only with a mark of a gateway proxy, as it reads no other.
 */

const READ_KIND = /^kind:[ \t]*["']?(?:Service|Endpoints|EndpointSlice|DestinationRule|ServiceEntry|VirtualService|Gateway|Sidecar|PeerAuthentication)["']?[ \t]*(?:#.*)?\r?$/m;
const WORKLOAD_KIND = /^kind:[ \t]*["']?(?:Deployment|StatefulSet|DaemonSet|Pod)["']?[ \t]*(?:#.*)?\r?$/m;
/** Istio's gateway injection template, its proxy image or container (`readGatewayWorkload` decides; this pre-selects). */
const GATEWAY_MARK = /inject\.istio\.io\/templates|proxyv2|istio-proxy/;

/** Whether the text (a file, or one document) may hold a resource the rules read. */
export function mayHoldReadKind(text: string): boolean {
  return READ_KIND.test(text) || (WORKLOAD_KIND.test(text) && GATEWAY_MARK.test(text));
}
