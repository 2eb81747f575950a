/**
 * The settings module (server/src/shared/settings.ts) against package.json's `contributes.configuration`: VS Code
 * shows and fills in package.json's defaults, the language server and other editors get the module's, so the two must
 * name the same keys with the same defaults and choices.
 *
 * Run: node --import tsx --test test/unit/settings.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { readSettings, SETTING_CHOICES, SETTING_DEFAULTS, SETTING_KEYS, SETTINGS_SECTION, settingsFromSection, type SettingKey } from '../../server/src/shared/settings';
import { PROJECT_ROOT } from '../support/paths';

/** The parts of a declared setting that the module also states. */
interface DeclaredSetting {
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
}

type DeclaredSettings = Readonly<Record<string, DeclaredSetting>>;

const PREFIX = `${SETTINGS_SECTION}.`;

function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

/** Where package.json and the module disagree, one line each: a key on one side only, another default, other choices. */
export function settingMismatches(declared: DeclaredSettings): string[] {
  const mismatches: string[] = [];
  for (const [fullKey, setting] of Object.entries(declared)) {
    const key = fullKey.slice(PREFIX.length);
    if (!fullKey.startsWith(PREFIX) || !isSettingKey(key)) {
      mismatches.push(`${fullKey}: declared in package.json, missing from the module`);
      continue;
    }
    if (!isDeepStrictEqual(setting.default, SETTING_DEFAULTS[key])) {
      mismatches.push(`${fullKey}: default ${JSON.stringify(setting.default)} in package.json, ${JSON.stringify(SETTING_DEFAULTS[key])} in the module`);
    }
    if (!isDeepStrictEqual(setting.enum, SETTING_CHOICES[key])) {
      mismatches.push(`${fullKey}: choices ${JSON.stringify(setting.enum)} in package.json, ${JSON.stringify(SETTING_CHOICES[key])} in the module`);
    }
  }
  for (const key of SETTING_KEYS) {
    if (!(`${PREFIX}${key}` in declared)) mismatches.push(`${PREFIX}${key}: in the module, not declared in package.json`);
  }
  return mismatches;
}

const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: DeclaredSettings } } };
const DECLARED = manifest.contributes.configuration.properties;

describe('the settings module and package.json', () => {
  it('name the same settings, with the same defaults and choices', () => {
    assert.ok(Object.keys(DECLARED).length > 0, 'package.json declares no settings?');
    assert.deepEqual(settingMismatches(DECLARED), []);
  });

  it('are told apart when a setting is on one side only, or its default or choices differ', () => {
    const { [`${PREFIX}probe.context`]: _dropped, ...declared } = DECLARED;
    const tampered: DeclaredSettings = {
      ...declared,
      [`${PREFIX}probe.timeoutSeconds`]: { ...declared[`${PREFIX}probe.timeoutSeconds`], default: 30 },
      [`${PREFIX}outboundTrafficPolicy`]: { ...declared[`${PREFIX}outboundTrafficPolicy`], enum: ['ALLOW_ANY'] },
      [`${PREFIX}probe.retries`]: { default: 3 },
      'otherExtension.enabled': { default: true },
    };
    assert.deepEqual(settingMismatches(tampered).sort(), [
      'istioEgress.outboundTrafficPolicy: choices ["ALLOW_ANY"] in package.json, ["ALLOW_ANY","REGISTRY_ONLY"] in the module',
      'istioEgress.probe.context: in the module, not declared in package.json',
      'istioEgress.probe.retries: declared in package.json, missing from the module',
      'istioEgress.probe.timeoutSeconds: default 30 in package.json, 10 in the module',
      'otherExtension.enabled: declared in package.json, missing from the module',
    ]);
  });
});

describe('readSettings', () => {
  it('gives the defaults when nothing is set', () => {
    assert.deepEqual(
      readSettings(() => undefined),
      SETTING_DEFAULTS,
    );
  });

  it('keeps values of the right type (strings trimmed) and reads anything else as the default', () => {
    const values: Partial<Record<SettingKey, unknown>> = {
      clusterDomain: ' corp.example ',
      istioVersion: '   ',
      outboundTrafficPolicy: 'DENY_ALL',
      addressAutoAllocation: 'true',
      maxFileSizeMB: '5',
      'probe.context': 'kind-dev',
      'probe.sourceSelectors': ['app=curl', 7],
      'probe.alwaysAskContexts': ['*live*'],
      'probe.timeoutSeconds': Number.NaN,
      'statusBar.enabled': false,
    };
    const settings = readSettings((key) => values[key]);
    assert.equal(settings.clusterDomain, 'corp.example');
    assert.equal(settings.istioVersion, SETTING_DEFAULTS.istioVersion);
    assert.equal(settings.outboundTrafficPolicy, SETTING_DEFAULTS.outboundTrafficPolicy);
    assert.equal(settings.addressAutoAllocation, false);
    assert.equal(settings.maxFileSizeMB, SETTING_DEFAULTS.maxFileSizeMB);
    assert.equal(settings['probe.context'], 'kind-dev');
    assert.deepEqual(settings['probe.sourceSelectors'], SETTING_DEFAULTS['probe.sourceSelectors']);
    assert.deepEqual(settings['probe.alwaysAskContexts'], ['*live*']);
    assert.equal(settings['probe.timeoutSeconds'], SETTING_DEFAULTS['probe.timeoutSeconds']);
    assert.equal(settings['statusBar.enabled'], false);
  });

  it('finds dotted keys in the nested section a language server receives', () => {
    const settings = settingsFromSection({ outboundTrafficPolicy: 'REGISTRY_ONLY', addressAutoAllocation: true, probe: { context: 'kind-dev' }, statusBar: { enabled: false } });
    assert.equal(settings.outboundTrafficPolicy, 'REGISTRY_ONLY');
    assert.equal(settings.addressAutoAllocation, true);
    assert.equal(settings['probe.context'], 'kind-dev');
    assert.equal(settings['statusBar.enabled'], false);
    assert.deepEqual(settingsFromSection('not a section'), SETTING_DEFAULTS);
  });
});
