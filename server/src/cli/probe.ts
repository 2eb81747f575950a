import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../analysis/options';
import { Analysis } from '../analysis/engine/analysis';
import { findYamlFiles } from '../files/walk';
import { formatReportText, reportToJson, runKubectl, runProbe, type ProbeFileModel, type ProbeSettings } from '../probe';
import { probeFileModel } from '../probe/fromProject';
import type { ProbeArgs } from './probeArgs';

/** Reads the files given with `-f` into a project, so the probe can compare them with the cluster and blame a line. */
async function fileModel(args: ProbeArgs, options: AnalysisOptions): Promise<ProbeFileModel | undefined> {
  if (!args.files.length) return undefined;
  const project = new Analysis(options);
  for (const input of args.files) {
    const stat = await fs.stat(input);
    for (const file of stat.isDirectory() ? await findYamlFiles(input) : [input]) {
      project.setFile(pathToFileURL(path.resolve(file)).toString(), await fs.readFile(file, 'utf8'));
    }
  }
  return probeFileModel(project.index(), options, args.service, args.namespace);
}

export interface ProbeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly signal?: AbortSignal;
}

/** `istio-egress probe`: runs the probe with the real kubectl and prints the report; returns the exit status. */
export async function runProbeCommand(args: ProbeArgs, io: ProbeIo): Promise<number> {
  const options: AnalysisOptions = {
    clusterDomain: args.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain,
    istioVersion: args.istioVersion ?? DEFAULT_OPTIONS.istioVersion,
    outboundTrafficPolicy: args.outboundTrafficPolicy ?? DEFAULT_OPTIONS.outboundTrafficPolicy,
    addressAutoAllocation: DEFAULT_OPTIONS.addressAutoAllocation,
  };
  let file: ProbeFileModel | undefined;
  try {
    file = await fileModel(args, options);
  } catch (error) {
    io.stderr(`istio-egress: cannot read ${args.files.join(', ')}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (args.files.length && !file) io.stderr(`istio-egress: no Service '${args.service}' in ${args.files.join(', ')}; probing the cluster's alone.\n`);
  const settings: Partial<ProbeSettings> = {
    clusterDomain: options.clusterDomain,
    istioVersion: options.istioVersion,
    outboundTrafficPolicy: options.outboundTrafficPolicy,
    ...(args.path ? { httpPath: args.path } : {}),
    ...(args.selectors.length ? { sourceSelectors: args.selectors } : {}),
    ...(args.noSidecarNamespace ? { noSidecarNamespace: args.noSidecarNamespace } : {}),
    ...(args.timeoutSeconds ? { curlMaxTimeSeconds: args.timeoutSeconds } : {}),
  };
  const report = await runProbe(
    {
      target: {
        name: args.service,
        ...(args.namespace ? { namespace: args.namespace } : {}),
        ...(args.port ? { port: args.port } : {}),
        ...(args.tlsHost ? { tlsHost: args.tlsHost } : {}),
        ...(file ? { file } : {}),
      },
      ...(args.kubectl ? { kubectlPath: args.kubectl } : {}),
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.context ? { context: args.context } : {}),
      settings,
      ...(io.signal ? { signal: io.signal } : {}),
    },
    {
      run: runKubectl,
      onEvent: (event) => {
        if (args.format !== 'text') return;
        if (event.type === 'phase') io.stderr(`… ${event.message}\n`);
        if (event.type === 'step') io.stderr(`… probe ${event.index + 1}/${event.total}\n`);
      },
    },
  );
  io.stdout(`${args.format === 'json' ? reportToJson(report) : formatReportText(report)}\n`);
  return report.exitCode;
}
