import { isRunning } from './classify';
import { naturalCompare } from './naturalOrder';
import type { ContainerSnapshot } from './snapshot';
import type { FilterResult } from './treeFilter';
import type { NodePath } from './targets';
import type { ChildModel, NoteModel } from './treeModel';

/** The labels docker compose (v1 and v2) puts on every container of a project. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  workingDir: 'com.docker.compose.project.working_dir',
} as const;

/** The labels the kubelet and its Docker shim (dockershim, cri-dockerd) put on a pod's containers. */
export const KUBE_LABELS = {
  namespace: 'io.kubernetes.pod.namespace',
  pod: 'io.kubernetes.pod.name',
  container: 'io.kubernetes.container.name',
  type: 'io.kubernetes.docker.type',
} as const;

/** How the tree is shown, beyond the listing: the filter, and whether pod sandboxes show. */
export interface TreeOptions {
  filter?: FilterResult;
  showInfrastructure: boolean;
}

export type ContainerModel = Extract<ChildModel, { kind: 'container' }>;

export interface ComposeProjectModel {
  kind: 'project';
  id: string;
  name: string;
  /** The engine that runs the project's containers. */
  engineKey: string;
  /** Where that engine is: the root engine and the containers down to it. */
  enginePath: NodePath;
  /** com.docker.compose.project.working_dir as the engine reported it (a path on the machine that ran compose). */
  workingDir?: string;
  running: number;
  total: number;
  /** Its containers (all of them, also those a filter hides), labelled by service. */
  members: ContainerModel[];
  /** The members the tree shows. */
  shown: ContainerModel[];
}

export interface KubePodModel {
  kind: 'pod';
  id: string;
  namespace: string;
  name: string;
  running: number;
  /** Containers of the pod, its sandbox not counted. */
  total: number;
  /** Sandbox containers left out because infrastructure is hidden. */
  hiddenInfrastructure: number;
  shown: ContainerModel[];
}

export interface KubeNamespaceModel {
  kind: 'namespace';
  id: string;
  name: string;
  pods: KubePodModel[];
}

export type GroupedChild = ChildModel | ComposeProjectModel | KubeNamespaceModel;

function labelOf(container: ContainerSnapshot, key: string): string | undefined {
  const value = container.summary.Labels?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function composeProjectOf(container: ContainerSnapshot): string | undefined {
  return labelOf(container, COMPOSE_LABELS.project);
}

/** A pod's sandbox (the `pause` container that holds its namespaces): infrastructure, not the pod's work. */
export function isInfrastructure(container: ContainerSnapshot): boolean {
  return labelOf(container, KUBE_LABELS.type) === 'podsandbox';
}

function kubePodOf(container: ContainerSnapshot): { namespace: string; pod: string } | undefined {
  const namespace = labelOf(container, KUBE_LABELS.namespace);
  const pod = labelOf(container, KUBE_LABELS.pod);
  return namespace !== undefined && pod !== undefined ? { namespace, pod } : undefined;
}

/** Running first, then natural order of the label the row shows. */
function byRow(a: ContainerModel, b: ContainerModel): number {
  return Number(isRunning(b.container.summary)) - Number(isRunning(a.container.summary)) || naturalCompare(a.label ?? a.container.name, b.label ?? b.container.name) || naturalCompare(a.container.name, b.container.name);
}

/**
 * Rows for one engine's containers (`models`: engineChildren or containerChildren of the row above),
 * grouped: Kubernetes containers under namespace › pod, Compose containers under their project, the
 * rest as they were; notes stay last. The filter and the infrastructure toggle of `options` apply.
 * `engineKey` is the key of the engine that runs these containers, `ownerId` the id of the row above.
 */
export function groupChildren(models: readonly ChildModel[], engineKey: string, enginePath: NodePath, ownerId: string, options: TreeOptions): GroupedChild[] {
  const containers = models.filter((m): m is ContainerModel => m.kind === 'container');
  const notes = models.filter((m) => m.kind === 'note');
  const shows = (m: ContainerModel) => (options.showInfrastructure || !isInfrastructure(m.container)) && (!options.filter || options.filter.shows(m.container));

  const projects = new Map<string, ContainerModel[]>();
  const pods = new Map<string, Map<string, ContainerModel[]>>();
  const loose: ContainerModel[] = [];
  for (const model of containers) {
    const pod = kubePodOf(model.container);
    const project = composeProjectOf(model.container);
    if (pod) {
      const namespace = pods.get(pod.namespace) ?? new Map<string, ContainerModel[]>();
      pods.set(pod.namespace, namespace);
      namespace.set(pod.pod, [...(namespace.get(pod.pod) ?? []), model]);
    } else if (project !== undefined) {
      projects.set(project, [...(projects.get(project) ?? []), model]);
    } else if (shows(model)) {
      loose.push(model);
    }
  }

  const rows: GroupedChild[] = [];
  for (const name of [...projects.keys()].sort(naturalCompare)) {
    const project = composeProject(name, projects.get(name) ?? [], engineKey, enginePath);
    project.shown = project.members.filter(shows);
    if (project.shown.length) rows.push(project);
  }
  for (const name of [...pods.keys()].sort(naturalCompare)) {
    const byPod = pods.get(name) ?? new Map<string, ContainerModel[]>();
    const namespace: KubeNamespaceModel = { kind: 'namespace', id: `k8s-namespace:${engineKey}:${name}`, name, pods: [] };
    for (const podName of [...byPod.keys()].sort(naturalCompare)) {
      const pod = kubePod(name, podName, byPod.get(podName) ?? [], engineKey, options);
      pod.shown = pod.shown.filter(shows);
      if (pod.shown.length || (!options.filter && pod.total + pod.hiddenInfrastructure > 0)) namespace.pods.push(pod);
    }
    if (namespace.pods.length) rows.push(namespace);
  }
  rows.push(...loose);
  if (options.filter && containers.length > 0 && rows.length === 0) {
    const note: NoteModel = { kind: 'empty', id: `${ownerId}:filtered`, text: 'Nothing here matches the filter' };
    rows.push({ kind: 'note', note });
  }
  rows.push(...notes);
  return rows;
}

function composeProject(name: string, containers: readonly ContainerModel[], engineKey: string, enginePath: NodePath): ComposeProjectModel {
  const perService = new Map<string, number>();
  for (const c of containers) {
    const service = labelOf(c.container, COMPOSE_LABELS.service) ?? '';
    perService.set(service, (perService.get(service) ?? 0) + 1);
  }
  const members = containers
    .map((c): ContainerModel => {
      const service = labelOf(c.container, COMPOSE_LABELS.service);
      const number = labelOf(c.container, COMPOSE_LABELS.number);
      // The number only tells replicas of one service apart.
      const label = service === undefined ? c.container.name : (perService.get(service) ?? 0) > 1 && number !== undefined ? `${service} #${number}` : service;
      return { ...c, label };
    })
    .sort(byRow);
  const workingDir = containers.map((c) => labelOf(c.container, COMPOSE_LABELS.workingDir)).find((dir) => dir !== undefined);
  return {
    kind: 'project',
    id: `compose:${engineKey}:${name}`,
    name,
    engineKey,
    enginePath,
    workingDir,
    running: containers.filter((c) => isRunning(c.container.summary)).length,
    total: containers.length,
    members,
    shown: members,
  };
}

function kubePod(namespace: string, name: string, containers: readonly ContainerModel[], engineKey: string, options: TreeOptions): KubePodModel {
  const work = containers.filter((c) => !isInfrastructure(c.container));
  const labelled = containers
    .filter((c) => options.showInfrastructure || !isInfrastructure(c.container))
    .map((c): ContainerModel => ({ ...c, label: labelOf(c.container, KUBE_LABELS.container) ?? c.container.name }))
    .sort(byRow);
  return {
    kind: 'pod',
    id: `k8s-pod:${engineKey}:${namespace}:${name}`,
    namespace,
    name,
    running: work.filter((c) => isRunning(c.container.summary)).length,
    total: work.length,
    hiddenInfrastructure: options.showInfrastructure ? 0 : containers.length - work.length,
    shown: labelled,
  };
}

export function projectDescription(project: ComposeProjectModel): string {
  return [`${project.running}/${project.total} running`, project.workingDir ?? ''].filter(Boolean).join(' · ');
}

export function podDescription(pod: KubePodModel): string {
  return `${pod.running}/${pod.total} running`;
}
