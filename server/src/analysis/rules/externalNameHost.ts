import { externalNameProblem } from '../model/externalName';
import { cleanExternalName } from './fixes/externalNameHost';
import { resourceRule } from './resourceRule';

export const externalNameHost = resourceRule({
  code: 'EGR101',
  name: 'externalname-host',
  title: 'An ExternalName Service needs a valid DNS host name',
  severity: 'error',
  kinds: ['Service'],
  checkResource(service, _doc, _options, report) {
    if (service.type?.value !== 'ExternalName') return;
    const externalName = service.externalName;
    if (!externalName) {
      report({ message: 'A Service of type ExternalName needs spec.externalName, the host name it aliases.', range: service.type.range });
      return;
    }
    const problem = externalNameProblem(externalName.value);
    if (problem) {
      const fix = problem.rejected ? cleanExternalName(externalName, (host) => externalNameProblem(host) === undefined) : undefined;
      report({
        message: `externalName '${externalName.value}' ${problem.message}.`,
        range: externalName.range,
        severity: problem.rejected ? 'error' : 'warning',
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});
