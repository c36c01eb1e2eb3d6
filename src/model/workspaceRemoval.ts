import type { ContainerSnapshot } from './snapshot';

/** What removing a workspace takes and what it leaves, as lines for the question and the notice after it. */
export interface WorkspaceRemoval {
  /** "container ci (and the 3 containers inside it: a, b, c)", "volume ci-docker". */
  removes: string[];
  /** What stays and why: a DooD workspace's siblings, bind-mounted folders. */
  keeps: string[];
}

const NAMES_SHOWN = 5;

function namesOf(containers: ContainerSnapshot[]): string {
  const names = containers.slice(0, NAMES_SHOWN).map((c) => c.name);
  return containers.length > NAMES_SHOWN ? `${names.join(', ')} and ${containers.length - NAMES_SHOWN} more` : names.join(', ');
}

/** Every container of the engine inside `container`, at any depth below it. */
function innerContainers(container: ContainerSnapshot): ContainerSnapshot[] {
  const inner = container.inner;
  if (!inner || inner.status.kind !== 'connected') return [];
  return inner.containers.flatMap((c) => [c, ...innerContainers(c)]);
}

/**
 * A DinD or Sysbox workspace takes its inner engine's containers and image cache (its volume) with it;
 * a DooD workspace has neither: what it started are siblings on the same engine and stay. Folders it
 * bind-mounts are the host's and stay either way.
 */
export function workspaceRemoval(container: ContainerSnapshot | undefined, volumes: string[], engineLabel: string): WorkspaceRemoval {
  const removes: string[] = [];
  const keeps: string[] = [];
  if (container) {
    const inside = innerContainers(container);
    removes.push(`container ${container.name}${inside.length ? ` (and the ${inside.length} container${inside.length === 1 ? '' : 's'} inside it: ${namesOf(inside)})` : ''}`);
    if (container.classification.dood && !container.inner) keeps.push(`What ${container.name} started on ${engineLabel} runs beside it, not inside it: those containers stay.`);
    for (const mount of container.inspect?.Mounts ?? []) {
      if (mount.Type !== 'bind' || !mount.Source || /docker\.sock$/.test(mount.Source)) continue;
      keeps.push(`The folder ${mount.Source} (mounted at ${mount.Destination ?? '?'}) is kept.`);
    }
  }
  for (const volume of volumes) removes.push(`volume ${volume}`);
  if (volumes.length && (container?.inner || container?.classification.mode === 'dind' || container?.classification.mode === 'sysbox')) {
    keeps.push(`The inner engine's image cache goes with ${volumes.length === 1 ? 'its volume' : 'its volumes'}.`);
  }
  return { removes, keeps };
}
