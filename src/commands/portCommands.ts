import * as vscode from 'vscode';
import { proposePorts } from '../engine/portProposals';
import { iconSafeText } from '../model/markdown';
import { isPort } from '../model/ports';
import { pathLabel, type Target } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import type { EngineService } from '../services/engineService';
import type { ForwardInfo, PortForwards } from '../services/portForwards';
import { resolveContainerArgument, targetOfArgument } from './containerArgument';
import { targetOrPick } from './containerCommands';

export interface PortDeps {
  engineService: EngineService;
  forwards: PortForwards;
}

/** `{ engine?, path, port, localPort? }` from another extension, or a tree row / nothing from a menu or the palette. */
function portOptions(argument: unknown): { port?: number; localPort?: number } {
  if (typeof argument !== 'object' || argument === null || 'treeItem' in argument) return {};
  const { port, localPort } = argument as Record<string, unknown>;
  if (port !== undefined && !isPort(port)) throw new UserFacingError(`"port" must be a TCP port number from 1 to 65535 (got ${JSON.stringify(port)}).`);
  if (localPort !== undefined && !isPort(localPort)) throw new UserFacingError(`"localPort" must be a TCP port number from 1 to 65535 (got ${JSON.stringify(localPort)}).`);
  return { port, localPort };
}

/** Forward Port…: resolves to where the port now answers on this machine. */
export async function forwardPort({ engineService, forwards }: PortDeps, argument: unknown): Promise<{ localPort: number; url: string }> {
  const options = portOptions(argument);
  const resolved = targetOrPickIfNone(engineService, argument);
  const target = await resolved;
  const port = options.port ?? (await askPort(engineService, target.container.engineKey, target.container.id, pathLabel(target.at)));
  try {
    const forward = await forwards.start({ engine: target.at.engine, path: target.at.path }, port, options.localPort);
    return { localPort: forward.localPort, url: forward.url };
  } catch (error) {
    throw new UserFacingError(`Could not forward port ${port} of ${pathLabel(target.at)}: ${(error as Error).message}`);
  }
}

function targetOrPickIfNone(engineService: EngineService, argument: unknown) {
  return argument === undefined ? targetOrPick(engineService, argument, 'Forward a port of which container?', true) : resolveContainerArgument(engineService, argument);
}

/** The ports inspect and the container's kernel know of, and a way to type another. */
async function askPort(engineService: EngineService, engineKey: string, containerId: string, where: string): Promise<number> {
  const api = engineService.apiFor(engineKey);
  const typed = { label: '$(edit) Another port…', port: undefined as number | undefined };
  // The pick opens at once, busy, and fills when the ports are read: the listening ones take an
  // exec in the container, through a relay at every level above it (seconds at depth 2).
  const items = (api ? proposePorts(api, containerId).catch(() => []) : Promise.resolve([])).then((proposals) => [
    ...proposals.map((p) => ({ label: String(p.port), description: iconSafeText(p.source), port: p.port as number | undefined })),
    typed,
  ]);
  const picked = await vscode.window.showQuickPick(items, {
    title: `Forward a port of ${iconSafeText(where)}`,
    placeHolder: 'Ports the container exposes, publishes or listens on, or another',
  });
  if (!picked) throw new vscode.CancellationError();
  if (picked.port !== undefined) return picked.port;
  const text = await vscode.window.showInputBox({
    title: `Forward a port of ${iconSafeText(where)}`,
    prompt: 'The TCP port inside the container',
    validateInput: (value) => (isPort(Number(value.trim())) && value.trim() !== '' ? undefined : 'A port number from 1 to 65535'),
  });
  if (text === undefined) throw new vscode.CancellationError();
  return Number(text.trim());
}

/** A forward row, `{ engine?, path, port }`, or (from the palette) a pick among the forwards. */
async function forwardOf(forwards: PortForwards, argument: unknown, title: string): Promise<ForwardInfo> {
  const row = (argument as { forwardTarget?: unknown } | undefined)?.forwardTarget;
  const given = row ?? argument;
  if (given === undefined) {
    const all = forwards.list();
    if (!all.length) throw new UserFacingError('No port is forwarded.');
    const picked = await vscode.window.showQuickPick(
      all.map((f) => ({ label: `${f.port} → 127.0.0.1:${f.localPort}`, description: iconSafeText(pathLabel({ engine: f.target.engine ?? '', path: f.target.path })), forward: f })),
      { title },
    );
    if (!picked) throw new vscode.CancellationError();
    return picked.forward;
  }
  const target = targetOfArgument(given);
  const { port } = portOptions(given);
  if (!target || target.path.length === 0 || port === undefined) {
    throw new UserFacingError('Pick a forwarded port in the Matryoshka view, or pass { engine?: string, path: string[], port: number }.');
  }
  const found = forwards.list().find((f) => f.port === port && sameContainer(f.target, target));
  if (!found) throw new UserFacingError(`Port ${port} of ${target.path.join(' › ')} is not forwarded.`);
  return found;
}

function sameContainer(a: Target, b: Target): boolean {
  return (b.engine === undefined || a.engine === b.engine) && a.path.join('\0') === b.path.join('\0');
}

export async function stopForwarding({ forwards }: PortDeps, argument: unknown): Promise<boolean> {
  const forward = await forwardOf(forwards, argument, 'Stop forwarding which port?');
  return forwards.stop(forward.target, forward.port);
}

/** Through asExternalUri, so that code-server's proxy and remote windows reach it too. */
export async function openForwardInBrowser({ forwards }: PortDeps, argument: unknown): Promise<string> {
  const forward = await forwardOf(forwards, argument, 'Open which forwarded port?');
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(forward.url));
  await vscode.env.openExternal(external);
  return external.toString();
}

export async function copyForwardAddress({ forwards }: PortDeps, argument: unknown): Promise<string> {
  const forward = await forwardOf(forwards, argument, 'Copy the address of which forwarded port?');
  const address = `127.0.0.1:${forward.localPort}`;
  await vscode.env.clipboard.writeText(address);
  vscode.window.setStatusBarMessage(`Copied ${address}`, 3000);
  return address;
}
