/**
 * The part of the probe the client uses: it runs the probe in the extension host and shows the context the probe
 * would use. The engine stays in probe/ because the CLI runs it too and it reads the analysis model; this file names
 * what of it the client depends on.
 */
export { formatReportText, kubeconfigFiles, readKubeContext, runProbe, type KubeContext, type ProbeEvent, type ProbeReport } from '../probe';
