import { resourceRule } from './resourceRule';

/** docs/rules/EGR102.md: an ExternalName Service is a DNS alias with no cluster IP of its own. */
export const externalNameClusterFields = resourceRule({
  code: 'EGR102',
  name: 'externalname-cluster-fields',
  title: 'An ExternalName Service takes no cluster IP fields and no selector',
  severity: 'error',
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    if (service.type?.value !== 'ExternalName') return;
    for (const field of service.clusterIpFields) {
      report({ message: `${field.key} may not be set on an ExternalName Service: it gets no cluster IP, only a DNS alias.`, range: field.range });
    }
    if (service.selector) {
      report({
        message: 'The selector of an ExternalName Service is ignored: traffic goes to the externalName host, never to pods.',
        range: service.selector.keyRange ?? service.selector.range,
        severity: 'warning',
      });
    }
  },
});
