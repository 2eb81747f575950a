import * as path from 'node:path';

/**
 * The environment of a process that runs the pinned helm or kubectl (the CLI, the server, the tool itself): HOME,
 * helm's folders and the kube config all in `home`, a temp folder, so that nothing of the machine's is read or written.
 */
export function toolEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_DATA_HOME: path.join(home, 'data'),
    HELM_REPOSITORY_CONFIG: path.join(home, 'repositories.yaml'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    ...extra,
  };
}
