/**
 * The `istioEgress.*` settings: every key (below the section) and the value it has when unset. package.json declares
 * the same keys and defaults for VS Code; test/unit/settings.test.ts holds the two together. The client and the
 * language server both read settings through readSettings, so a missing or mistyped value means the same on each side.
 */
import { DEFAULT_OPTIONS, type OutboundTrafficPolicy } from '../analysis/options';

export const SETTINGS_SECTION = 'istioEgress';

export interface Settings {
  readonly kubectlPath: string;
  /** The helm that renders the workspace's charts (trusted workspaces only). */
  readonly helmPath: string;
  /** Whether charts are rendered and checked as they deploy. */
  readonly 'helm.render': boolean;
  readonly clusterDomain: string;
  readonly istioVersion: string;
  readonly outboundTrafficPolicy: OutboundTrafficPolicy;
  readonly addressAutoAllocation: boolean;
  readonly maxFileSizeMB: number;
  /** Read by vscode-languageclient itself, which names the trace setting after the client's id (the section). */
  readonly 'trace.server': 'off' | 'messages' | 'verbose';
  /** Empty: kubectl's own choice. */
  readonly 'probe.kubeconfig': string;
  /** Empty: kubectl's current context. */
  readonly 'probe.context': string;
  readonly 'probe.alwaysAskContexts': readonly string[];
  readonly 'probe.sourceSelectors': readonly string[];
  readonly 'probe.noSidecarNamespace': string;
  readonly 'probe.httpPath': string;
  readonly 'probe.timeoutSeconds': number;
  readonly 'statusBar.enabled': boolean;
}

export type SettingKey = keyof Settings;
type SettingValue = Settings[SettingKey];

export const SETTING_DEFAULTS: Settings = {
  kubectlPath: 'kubectl',
  helmPath: 'helm',
  'helm.render': true,
  // The analysis core's own defaults, so that the editor and the CLI assume the same mesh when nothing is set.
  clusterDomain: DEFAULT_OPTIONS.clusterDomain,
  istioVersion: DEFAULT_OPTIONS.istioVersion,
  outboundTrafficPolicy: DEFAULT_OPTIONS.outboundTrafficPolicy,
  addressAutoAllocation: DEFAULT_OPTIONS.addressAutoAllocation,
  maxFileSizeMB: 5,
  'trace.server': 'off',
  'probe.kubeconfig': '',
  'probe.context': '',
  'probe.alwaysAskContexts': ['*prod*'],
  'probe.sourceSelectors': ['app=curl', 'app=sleep'],
  'probe.noSidecarNamespace': 'without-istio',
  'probe.httpPath': '/headers',
  'probe.timeoutSeconds': 10,
  'statusBar.enabled': true,
};

/** The settings that take one of a few strings (package.json's `enum`). */
export const SETTING_CHOICES: { readonly [K in SettingKey]?: readonly Settings[K][] } = {
  outboundTrafficPolicy: ['ALLOW_ANY', 'REGISTRY_ONLY'],
  'trace.server': ['off', 'messages', 'verbose'],
};

export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as readonly SettingKey[];

/** `value` if it has the default's type (a string that is not blank, a finite number, a list of strings); strings trimmed. */
function ofDefaultType(value: unknown, fallback: SettingValue): SettingValue | undefined {
  if (typeof fallback === 'string') return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  if (typeof fallback === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (typeof fallback === 'boolean') return typeof value === 'boolean' ? value : undefined;
  return Array.isArray(value) && value.every((item): item is string => typeof item === 'string') ? [...value] : undefined;
}

/**
 * Every setting, from `valueOf(key)`, which may return anything (nobody checks a settings.json): a value of the wrong
 * type, a blank string or a string outside the setting's choices reads as the default.
 */
export function readSettings(valueOf: (key: SettingKey) => unknown): Settings {
  const read = (key: SettingKey): SettingValue => {
    const value = ofDefaultType(valueOf(key), SETTING_DEFAULTS[key]);
    const choices: readonly SettingValue[] | undefined = SETTING_CHOICES[key];
    return value === undefined || (choices !== undefined && !choices.includes(value)) ? SETTING_DEFAULTS[key] : value;
  };
  // Sound: every key gets its default or a value of the default's type (and among its choices).
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, read(key)])) as unknown as Settings;
}

/** The settings in the section as a language server gets it (pulled or pushed): `probe.context` is `section.probe.context`. */
export function settingsFromSection(section: unknown): Settings {
  return readSettings((key) => key.split('.').reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), section));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
