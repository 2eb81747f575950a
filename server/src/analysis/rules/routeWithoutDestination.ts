import type { Range } from '../text';
import { resourceRule } from './resourceRule';

/** A multi-line mapping's first line, from where it starts to the end of that line's text: where the finding shows. */
function firstLine(text: string, r: Range): Range {
  if (r.start.line === r.end.line) return r;
  const line = text.split('\n', r.start.line + 1)[r.start.line] ?? '';
  return { start: r.start, end: { line: r.start.line, character: Math.max(r.start.character, line.trimEnd().length) } };
}

/**
 * docs/rules/EGR427.md: Istio's webhook refuses a VirtualService whose route says nowhere to go: a `route` item
 * without `destination` (also in an http route's `mirrors`), an http route with no `route`, `redirect`,
 * `directResponse` or `delegate`, a tls or tcp route with no `route`, and a tls route without `match`. The apply fails.
 */
export const routeWithoutDestination = resourceRule({
  code: 'EGR427',
  name: 'route-without-destination',
  title: 'A VirtualService route that names no destination',
  severity: 'error',
  kinds: ['VirtualService'],
  checkResource(vs, doc, _options, report) {
    for (const route of vs.routes) {
      for (const item of route.withoutDestination) {
        report({
          range: firstLine(doc.text, item.range),
          message: item.mirror
            ? "This mirror names no destination: Istio's webhook refuses the VirtualService ('destination is required for mirrors'). Add destination: {host: …}."
            : "This route entry names no destination: Istio's webhook refuses the VirtualService ('destination is required'). Add destination: {host: …}, or remove the entry.",
        });
      }
      if (!route.range) continue;
      if (!route.hasTarget) {
        const what = route.section === 'http' ? 'a route, redirect, directResponse or delegate' : 'a route';
        report({
          range: firstLine(doc.text, route.range),
          message: `This ${route.section} route has no ${route.section === 'http' ? 'route, redirect, directResponse or delegate' : 'route'}: Istio's webhook refuses the VirtualService. Give it ${what}.`,
        });
      }
      if (route.section === 'tls' && route.matches.length === 0) {
        report({
          range: firstLine(doc.text, route.range),
          message: "This tls route has no match: Istio's webhook refuses it ('TLS route must have at least one match condition'). Match on sniHosts (and port).",
        });
      }
    }
  },
});
