import * as vscode from 'vscode';
import type { BridgeInfo, EngineBridges, EngineTarget } from '../engine/engineBridges';
import { notificationText, terminalTitle } from '../model/markdown';
import { listEngines, pathLabel } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import type { EngineService } from '../services/engineService';
import { isTreeRow, resolveEngineArgument } from './containerArgument';

export interface BridgeDeps {
  engineService: EngineService;
  bridges: EngineBridges;
}

/** The engine an argument names (an engine row, a DinD or Sysbox container row, or `{ engine?, path }`). */
async function resolveBridged(engineService: EngineService, argument: unknown): Promise<{ target: EngineTarget; engineKey: string; label: string }> {
  const resolved = await resolveEngineArgument(engineService, argument);
  return { target: { engine: resolved.at.engine, path: [...resolved.at.path] }, engineKey: resolved.engine.key, label: pathLabel(resolved.at) };
}

/** Every connected engine at every depth, for the palette (`only`: those it applies to). */
async function pickEngine(engineService: EngineService, placeHolder: string, only?: (engineKey: string) => boolean): Promise<EngineTarget> {
  await engineService.ready();
  const items = listEngines(engineService.snapshot())
    .filter((e) => e.engine.status.kind === 'connected' && (!only || only(e.engine.key)))
    .map((e) => ({ label: pathLabel(e.at), description: e.host ? `${e.host.container.classification.mode} engine` : e.engine.endpoint, target: { engine: e.at.engine, path: [...e.at.path] } }));
  if (!items.length) throw new UserFacingError(only ? 'No engine is used from the host.' : 'No engine is connected: refresh the Matryoshka view.');
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!picked) throw new vscode.CancellationError();
  return picked.target;
}

export async function bridgeEngine(deps: BridgeDeps, argument: unknown): Promise<BridgeInfo> {
  const resolved = await resolveBridged(deps.engineService, argument ?? (await pickEngine(deps.engineService, 'Use which engine from the host?')));
  const graph = await deps.engineService.ready();
  let info: BridgeInfo;
  try {
    info = await deps.bridges.bridge(graph, resolved.engineKey, resolved.target);
  } catch (error) {
    throw new UserFacingError(`Could not use ${resolved.label} from the host: ${(error as Error).message}`);
  }
  deps.engineService.rerender();
  if (argument === undefined || isTreeRow(argument)) {
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
  const resolved = await resolveBridged(deps.engineService, argument ?? (await pickEngine(deps.engineService, 'Stop using which engine from the host?', bridged)));
  const stopped = await deps.bridges.stop(resolved.engineKey);
  if (!stopped && (argument === undefined || isTreeRow(argument))) throw new UserFacingError(`${resolved.label} is not used from the host.`);
  deps.engineService.rerender();
  return stopped;
}

async function bridgedInfo(deps: BridgeDeps, argument: unknown): Promise<{ label: string; info: BridgeInfo }> {
  const bridged = (key: string) => deps.bridges.infoFor(key) !== undefined;
  const resolved = await resolveBridged(deps.engineService, argument ?? (await pickEngine(deps.engineService, 'Which engine used from the host?', bridged)));
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
