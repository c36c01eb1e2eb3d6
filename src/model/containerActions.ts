import { innerEngineKey } from './snapshot';
import { countInner, type ResolvedTarget, pathLabel } from './targets';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'remove';

/** True when `target` runs inside the engine of `host`, at any depth. */
export function isInside(target: ResolvedTarget, host: ResolvedTarget): boolean {
  const hostEngine = innerEngineKey(host.container.engineKey, host.container.id);
  return target.container.engineKey === hostEngine || target.container.engineKey.startsWith(`${hostEngine}/`);
}

/**
 * What a multi-selection acts on: each container once, and for stop and remove not the containers
 * inside another selected one (they stop or go with it; acting on them too would race their engine
 * going away and report a lost connection as a failure).
 */
export function actionTargets(action: ContainerAction, targets: readonly ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>();
  const unique = targets.filter((t) => {
    const key = `${t.container.engineKey}\u0000${t.container.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (action !== 'stop' && action !== 'remove') return unique;
  return unique.filter((t) => !unique.some((host) => host !== t && isInside(t, host)));
}

/**
 * The question asked before removing: every container by its full path, and for one that runs an
 * engine how many containers inside go with it (selected inner ones are named under their host).
 */
export function removeConfirmation(selected: readonly ResolvedTarget[]): { message: string; detail: string } {
  const unique = actionTargets('start', selected);
  const targets = actionTargets('remove', unique);
  const lines = targets.map((t) => {
    const inner = countInner(t.container);
    const along = unique.filter((s) => s !== t && isInside(s, t)).map((s) => s.container.name);
    const goes = inner ? `: runs an engine with ${inner} container${inner === 1 ? '' : 's'} inside, which go${inner === 1 ? 'es' : ''} with it` : '';
    return `${pathLabel(t.at)}${goes}${along.length ? ` (${along.join(', ')} among them)` : ''}`;
  });
  const total = targets.reduce((n, t) => n + 1 + countInner(t.container), 0);
  const message = targets.length === 1 ? `Remove ${targets[0].container.name}?` : `Remove ${targets.length} containers?`;
  const tail = total > targets.length ? `\n\n${total} containers in all.` : '';
  return { message, detail: `${lines.join('\n')}${tail}\n\nRunning containers are stopped first; their anonymous volumes are removed too.` };
}
