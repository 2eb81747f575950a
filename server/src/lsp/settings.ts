import type { AnalysisOptions } from '../analysis/options';
import type { HelmSettings } from './chartRenderer';
import { SETTING_DEFAULTS, settingsFromSection } from '../shared/settings';

/** The size limit in bytes from the `istioEgress.maxFileSizeMB` setting; a limit of 0 or less counts as unset. */
export function maxFileBytes(section: unknown): number {
  const mb = settingsFromSection(section).maxFileSizeMB;
  return Math.round((mb > 0 ? mb : SETTING_DEFAULTS.maxFileSizeMB) * 1024 * 1024);
}

/** The analysis options in the `istioEgress` settings section as the client sends it (any field missing or mistyped). */
export function optionsFromSettings(section: unknown): AnalysisOptions {
  const settings = settingsFromSection(section);
  return {
    // `.cluster.local.` names the same domain; dots alone name none.
    clusterDomain: settings.clusterDomain.replace(/^\.+|\.+$/g, '') || SETTING_DEFAULTS.clusterDomain,
    istioVersion: settings.istioVersion,
    outboundTrafficPolicy: settings.outboundTrafficPolicy,
    addressAutoAllocation: settings.addressAutoAllocation,
  };
}

/** How the workspace's charts are rendered, from the settings section. */
export function helmSettings(section: unknown): HelmSettings {
  const settings = settingsFromSection(section);
  return { helmPath: settings.helmPath, render: settings['helm.render'], kubectlPath: settings.kubectlPath };
}
