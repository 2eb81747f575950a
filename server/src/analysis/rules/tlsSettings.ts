import { describePlacement, tlsPlacements } from '../model/tls';
import { resourceRule } from './resourceRule';

/** docs/rules/EGR202.md: the combinations of client TLS fields that Istio's webhook rejects. */
export const tlsSettings = resourceRule({
  code: 'EGR202',
  name: 'dr-tls-settings',
  title: 'TLS settings must fit their mode',
  severity: 'error',
  kinds: ['DestinationRule'],
  checkResource(rule, _doc, _options, report) {
    for (const placement of tlsPlacements(rule)) {
      const { tls, mode } = placement;
      const where = describePlacement(placement);
      if (mode?.value === 'MUTUAL' && !tls.credentialName) {
        if (!tls.clientCertificate) report({ message: `MUTUAL TLS${where} needs clientCertificate and privateKey, or a credentialName.`, range: mode.range });
        else if (!tls.privateKey) report({ message: `MUTUAL TLS${where} needs privateKey with clientCertificate.`, range: mode.range });
      }
      if ((mode?.value === 'SIMPLE' || mode?.value === 'MUTUAL') && tls.credentialName) {
        for (const field of [tls.clientCertificate, tls.privateKey, tls.caCertificates]) {
          if (!field?.keyRange) continue;
          report({ message: `With credentialName, certificates come from the Secret: file paths such as this one may not be set${where}.`, range: field.keyRange });
        }
      }
    }
  },
});
