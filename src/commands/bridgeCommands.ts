import * as vscode from 'vscode';
import type { BridgeInfo, EngineBridges, EngineTarget } from '../engine/engineBridges';
import { notificationText, terminalTitle } from '../model/markdown';
import type { EngineSnapshot } from '../model/snapshot';
import { listTargets, resolveTarget, TargetError } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import type { EngineService } from '../services/engineService';

export interface BridgeDeps {
  controller: EngineService;
  bridges: EngineBridges;
}

interface ResolvedEngine {
  target: EngineTarget;
  engineKey: string;
  label: string;
}

/**
 * The engine an argument names: a tree row (an engine row, or a container row whose container
 * runs an engine) or `{ engine?, path }`, where `path` is the chain of container names from the
 * root engine to the container that runs the engine, and an empty path is the root engine itself.
 */
function targetOf(argument: unknown): { engine?: string; path: string[] } | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const value = argument as Record<string, unknown>;
  // A row that names its own target (container rows).
  if (typeof value.target === 'object' && value.target !== null) return targetOf(value.target);
  // An engine row carries its engine's snapshot.
  const engine = value.engine as Partial<EngineSnapshot> | string | undefined;
  if (typeof engine === 'object' && engine !== null && typeof engine.name === 'string' && engine.depth === 0) return { engine: engine.name, path: [] };
  const path = value.path;
  if ((engine === undefined || typeof engine === 'string') && Array.isArray(path) && path.every((p) => typeof p === 'string')) return { engine, path: [...(path as string[])] };
  return undefined;
}

async function resolveEngine(controller: EngineService, argument: unknown): Promise<ResolvedEngine> {
  const wanted = targetOf(argument);
  if (!wanted) throw new UserFacingError('Pick an engine, or a DinD or Sysbox container, in the Matryoshka view, or pass { engine?: string, path: string[] } naming one.');
  await controller.ready();
  const roots = controller.snapshot();
  const root = wanted.engine === undefined ? roots.find((e) => e.current) ?? roots[0] : roots.find((e) => e.name === wanted.engine);
  if (!root) throw new UserFacingError(`No engine named "${wanted.engine ?? '(current)'}". Engines: ${roots.map((e) => e.name).join(', ') || 'none'}.`);
  const target = { engine: root.name, path: wanted.path };
  const label = [root.name, ...wanted.path].join(' › ');
  if (wanted.path.length === 0) return { target, engineKey: root.key, label };
  let container;
  try {
    container = resolveTarget(roots, target).container;
  } catch (error) {
    if (error instanceof TargetError) throw new UserFacingError(error.message);
    throw error;
  }
  if (!container.inner) throw new UserFacingError(`${label} runs no engine Matryoshka can reach, so there is nothing to use from the host. Only engine rows and DinD or Sysbox containers can be.`);
  return { target, engineKey: container.inner.key, label };
}

/** Every engine at every depth, for the palette. */
async function pickEngine(controller: EngineService, placeHolder: string, only?: (engineKey: string) => boolean): Promise<EngineTarget> {
  await controller.ready();
  const roots = controller.snapshot();
  const items: Array<vscode.QuickPickItem & { target: EngineTarget; key: string }> = [
    ...roots.filter((e) => e.status.kind === 'connected').map((e) => ({ label: e.name, description: e.endpoint, target: { engine: e.name, path: [] }, key: e.key })),
    ...listTargets(roots)
      .filter((t) => t.container.inner?.status.kind === 'connected')
      .map((t) => ({
        label: [t.path.rootEngine, ...t.path.containers].join(' › '),
        description: `${t.container.classification.mode} engine`,
        target: { engine: t.path.rootEngine, path: t.path.containers },
        key: (t.container.inner as EngineSnapshot).key,
      })),
  ].filter((item) => !only || only(item.key));
  if (!items.length) throw new UserFacingError(only ? 'No engine is used from the host.' : 'No engine is connected: refresh the Matryoshka view.');
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!picked) throw new vscode.CancellationError();
  return picked.target;
}

export async function bridgeEngine(deps: BridgeDeps, argument: unknown): Promise<BridgeInfo> {
  const resolved = await resolveEngine(deps.controller, argument ?? (await pickEngine(deps.controller, 'Use which engine from the host?')));
  const graph = await deps.controller.ready();
  let info: BridgeInfo;
  try {
    info = await deps.bridges.bridge(graph, resolved.engineKey, resolved.target);
  } catch (error) {
    throw new UserFacingError(`Could not use ${resolved.label} from the host: ${(error as Error).message}`);
  }
  deps.controller.rerender();
  if (argument === undefined || isRow(argument)) {
    const elsewhere = info.servedElsewhere ? ' (another VS Code window serves it)' : '';
    void vscode.window
      .showInformationMessage(notificationText(`${resolved.label} is usable from the host${elsewhere}: DOCKER_HOST=${info.dockerHost}, or docker --context ${info.context}.`), 'Open Host Terminal', 'Copy DOCKER_HOST')
      .then((choice) => {
        if (choice === 'Open Host Terminal') openHostTerminal(resolved.label, info);
        if (choice === 'Copy DOCKER_HOST') void vscode.env.clipboard.writeText(info.dockerHost);
      });
  }
  return info;
}

export async function unbridgeEngine(deps: BridgeDeps, argument: unknown): Promise<boolean> {
  const bridged = (key: string) => deps.bridges.infoFor(key) !== undefined;
  const resolved = await resolveEngine(deps.controller, argument ?? (await pickEngine(deps.controller, 'Stop using which engine from the host?', bridged)));
  const stopped = await deps.bridges.stop(resolved.engineKey);
  if (!stopped && (argument === undefined || isRow(argument))) throw new UserFacingError(`${resolved.label} is not used from the host.`);
  deps.controller.rerender();
  return stopped;
}

async function bridgedInfo(deps: BridgeDeps, argument: unknown): Promise<{ label: string; info: BridgeInfo }> {
  const bridged = (key: string) => deps.bridges.infoFor(key) !== undefined;
  const resolved = await resolveEngine(deps.controller, argument ?? (await pickEngine(deps.controller, 'Which engine used from the host?', bridged)));
  const info = deps.bridges.infoFor(resolved.engineKey);
  if (!info) throw new UserFacingError(`${resolved.label} is not used from the host: choose "Use This Engine from the Host" first.`);
  return { label: resolved.label, info };
}

export async function copyBridgedDockerHost(deps: BridgeDeps, argument: unknown): Promise<string> {
  const { info } = await bridgedInfo(deps, argument);
  await vscode.env.clipboard.writeText(`DOCKER_HOST=${info.dockerHost}`);
  vscode.window.setStatusBarMessage('Copied DOCKER_HOST', 3000);
  return info.dockerHost;
}

export async function openBridgedHostTerminal(deps: BridgeDeps, argument: unknown): Promise<vscode.Terminal> {
  const { label, info } = await bridgedInfo(deps, argument);
  return openHostTerminal(label, info);
}

/** A terminal on this machine whose docker CLI talks to the bridged engine; the value goes in the environment, never through a shell line. */
function openHostTerminal(label: string, info: BridgeInfo): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name: terminalTitle(`docker → ${label}`), env: { DOCKER_HOST: info.dockerHost, DOCKER_CONTEXT: null } });
  terminal.show();
  return terminal;
}

function isRow(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { treeItem?: unknown }).treeItem === 'function';
}
