import { randomUUID } from 'node:crypto';
import { dockerIn } from './docker';
import { OWN_LABEL } from './runId';

/**
 * Containers named and labelled the way cri-dockerd (the kubelet's Docker shim, as in minikube's
 * kicbase with the Docker runtime) makes a pod's containers; no kubelet can run here, so this writes
 * the labels itself, as scripts/recordGroupingFixtures.sh does for the recorded ones:
 * - names from cri-dockerd core/naming.go: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`, the
 *   sandbox's container being `POD`;
 * - the sandbox: the pod's labels, io.kubernetes.pod.{name,namespace,uid} (kubelet newPodLabels), its
 *   annotations as `annotation.*`, io.kubernetes.docker.type=podsandbox and
 *   io.kubernetes.container.name=POD (cri-dockerd makeSandboxDockerConfig);
 * - each container: io.kubernetes.pod.{name,namespace,uid}, io.kubernetes.container.name, the
 *   kubelet's container annotations, io.kubernetes.docker.type=container, the log path and
 *   io.kubernetes.sandbox.id (cri-dockerd CreateContainer), on the sandbox's network.
 */
export interface KubePod {
  name: string;
  containers: string[];
  /** The pod's own labels (the sandbox carries them). */
  labels?: Record<string, string>;
}

export interface KubeFixture {
  namespace: string;
  /** Every container made, sandboxes included, by name. */
  names: string[];
  remove(): Promise<void>;
}

const labelArgs = (labels: Record<string, string>): string[] => Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

/**
 * Creates `pods` in `namespace` on the engine inside the innermost container of `via` ([] for the
 * host), sandbox first, each container `busybox:latest sleep 600`. Everything carries this process's
 * own label; `remove` takes it all away again.
 */
export async function createKubePods(via: string[], namespace: string, pods: KubePod[]): Promise<KubeFixture> {
  const names: string[] = [];
  const remove = async () => {
    const ids = (await dockerIn(via, ['ps', '-aq', '--filter', `label=${OWN_LABEL}`, '--filter', `label=io.kubernetes.pod.namespace=${namespace}`])).split('\n').filter(Boolean);
    if (ids.length) await dockerIn(via, ['rm', '-f', ...ids]);
  };
  try {
    for (const pod of pods) {
      const uid = randomUUID();
      const podLabels = { 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': uid };
      const sandboxName = `k8s_POD_${pod.name}_${namespace}_${uid}_0`;
      const sandbox = (
        await dockerIn(via, [
          'run', '-d', '--name', sandboxName, '--label', OWN_LABEL,
          ...labelArgs({ ...pod.labels, ...podLabels, 'annotation.kubernetes.io/config.source': 'api', 'io.kubernetes.docker.type': 'podsandbox', 'io.kubernetes.container.name': 'POD' }),
          'busybox:latest', 'sleep', '600',
        ])
      ).trim();
      names.push(sandboxName);
      for (const container of pod.containers) {
        const name = `k8s_${container}_${pod.name}_${namespace}_${uid}_0`;
        await dockerIn(via, [
          'run', '-d', '--name', name, '--label', OWN_LABEL, '--network', `container:${sandbox}`,
          ...labelArgs({
            ...podLabels,
            'io.kubernetes.container.name': container,
            'annotation.io.kubernetes.container.restartCount': '0',
            'annotation.io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
            'annotation.io.kubernetes.pod.terminationGracePeriod': '30',
            'io.kubernetes.docker.type': 'container',
            'io.kubernetes.container.logpath': `/var/log/pods/${namespace}_${pod.name}_${uid}/${container}/0.log`,
            'io.kubernetes.sandbox.id': sandbox,
          }),
          'busybox:latest', 'sleep', '600',
        ]);
        names.push(name);
      }
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { namespace, names, remove };
}
