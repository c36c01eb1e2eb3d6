import fs from 'node:fs';
import { iconSafeText, notificationText, terminalTitle } from '../model/markdown';
import path from 'node:path';
import * as vscode from 'vscode';
import { listImages, listVolumes, removeContainer, removeVolume } from '../engine/engineObjects';
import { copyImage } from '../engine/imageTransfer';
import type { WorkspaceLauncher } from '../engine/workspaceLauncher';
import { safeSegment } from '../engine/clientCertificates';
import { findLaunchTarget } from '../model/launchTargets';
import { listTargets, type ResolvedTarget, engineLabelOf, pathLabel } from '../model/targets';
import { dockerHostLines, shellExportLines, WORKSPACE_LABEL } from '../model/workspaceSpec';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';
import { formatSize } from '../model/sizes';
import { workspaceRemoval } from '../model/workspaceRemoval';
import { targetOrPick } from './containerCommands';
import { resolveContainerArgument, targetOfArgument } from './containerArgument';

export interface WorkspaceActionDeps {
  engineService: EngineService;
  launcher: WorkspaceLauncher;
  certRoot: string;
}

/**
 * `matryoshka.removeWorkspace`: a tree node or `{ engine?, path }` naming the workspace's container,
 * `{ engine?, name, skipConfirmation? }` naming the workspace by its label (what a half-finished
 * launch left may be volumes alone, with no container to name), or nothing (a pick of every workspace). Removes the container and every volume with its workspace label,
 * also what a half-finished launch left (volumes without a container).
 */
export async function removeWorkspace(deps: WorkspaceActionDeps, argument: unknown): Promise<{ removed: string[] }> {
  const { engineService } = deps;
  await engineService.ready();
  const roots = engineService.snapshot();
  let engineName: string | undefined;
  let name: string;
  let skip = false;
  if (targetOfArgument(argument)?.path.length) {
    const row = await resolveContainerArgument(engineService, argument);
    name = row.container.summary.Labels?.[WORKSPACE_LABEL] ?? row.container.name;
    engineName = engineLabelOf(row.at);
  } else if (argument && typeof argument === 'object' && typeof (argument as { name?: unknown }).name === 'string') {
    ({ name, engine: engineName } = argument as { name: string; engine?: string });
    skip = (argument as { skipConfirmation?: unknown }).skipConfirmation === true;
  } else if (argument === undefined) {
    const workspaces = listTargets(roots).filter((t) => t.container.summary.Labels?.[WORKSPACE_LABEL]);
    if (!workspaces.length) throw new UserFacingError('No Matryoshka workspace on any engine (workspaces carry the label dev.matryoshka.workspace).');
    const picked = await vscode.window.showQuickPick(
      workspaces.map((t) => ({ label: iconSafeText(t.container.name), description: iconSafeText(pathLabel(t.at)), t })),
      { title: 'Remove which workspace?' },
    );
    if (!picked) throw new vscode.CancellationError();
    name = picked.t.container.summary.Labels?.[WORKSPACE_LABEL] as string;
    engineName = engineLabelOf(picked.t.at);
  } else {
    throw new UserFacingError('Pass { engine?: string, name: string } naming a workspace, or pick one in the Matryoshka view.');
  }
  const target = findLaunchTarget(roots, engineName);
  if (typeof target === 'string') throw new UserFacingError(target);
  const api = engineService.apiFor(target.engine.key);
  if (!api) throw new UserFacingError(`${target.label} is not connected; refresh and try again.`);
  const container = target.engine.containers.find((c) => c.summary.Labels?.[WORKSPACE_LABEL] === name);
  const volumes = (await listVolumes(api, `${WORKSPACE_LABEL}=${name}`)).map((v) => v.Name).sort();
  if (!container && !volumes.length) throw new UserFacingError(`No workspace named ${name} on ${target.label}.`);
  const removal = workspaceRemoval(container, volumes, target.label);
  if (!skip) {
    const answer = await vscode.window.showWarningMessage(
      notificationText(`Remove the workspace ${name} from ${target.label}?`),
      { modal: true, detail: notificationText([`This removes:\n${removal.removes.join('\n')}`, ...removal.keeps].join('\n\n')) },
      'Remove',
    );
    if (answer !== 'Remove') throw new vscode.CancellationError();
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: iconSafeText(`Removing ${name} from ${target.label}`) }, async () => {
    if (container) await removeContainer(api, container.id);
    for (const volume of volumes) await removeVolume(api, volume);
  });
  fs.rmSync(path.join(deps.certRoot, safeSegment(target.label), safeSegment(name)), { recursive: true, force: true });
  await engineService.relist(target.engine.key);
  if (!skip) void vscode.window.showInformationMessage(notificationText(`Removed the workspace ${name} from ${target.label}: ${removal.removes.join(', ')}.`));
  return { removed: removal.removes };
}

/** A DinD or Sysbox container with an engine Matryoshka reaches, or a clear error. */
async function engineHost(engineService: EngineService, argument: unknown, title: string): Promise<ResolvedTarget> {
  const target = await targetOrPick(engineService, argument, title, true);
  if (!target.container.inner || target.container.inner.status.kind !== 'connected') {
    throw new UserFacingError(`${pathLabel(target.at)} runs no engine Matryoshka can reach (DinD and Sysbox containers do). Pick a container that hosts an engine.`);
  }
  return target;
}

/**
 * `matryoshka.loadImage`: streams an image of the engine that runs a DinD/Sysbox container into
 * the engine inside it, at any depth, with progress in bytes. `{ engine?, path, image? }`.
 */
export async function loadImageInto(deps: WorkspaceActionDeps, argument: unknown): Promise<{ image: string; bytes: number }> {
  const { engineService } = deps;
  const target = await engineHost(engineService, argument, 'Copy an image into the engine inside which container?');
  const from = engineService.apiFor(target.container.engineKey);
  const to = target.container.inner && engineService.apiFor(target.container.inner.key);
  if (!from || !to) throw new UserFacingError(`The engines around ${pathLabel(target.at)} are not connected; refresh and try again.`);
  const outer = engineLabelOf(target.at);
  let image = argument && typeof argument === 'object' ? (argument as { image?: unknown }).image : undefined;
  if (image !== undefined && typeof image !== 'string') throw new UserFacingError('The option "image" must be a string naming an image of the outer engine.');
  if (image === undefined) {
    const images = (await listImages(from)).flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((tag) => ({ label: iconSafeText(tag), description: formatSize(i.Size ?? 0), tag })));
    if (!images.length) throw new UserFacingError(`${outer} has no tagged image to copy.`);
    const picked = await vscode.window.showQuickPick(images, { title: iconSafeText(`Copy which image of ${outer} into ${target.container.name}?`) });
    if (!picked) throw new vscode.CancellationError();
    image = picked.tag;
  }
  const chosen = image as string;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: iconSafeText(`Copying ${chosen} from ${outer} into ${target.container.name}`), cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return copyImage(from, to, chosen, (bytes) => progress.report({ message: formatSize(bytes) }), abort.signal);
    },
  ).then(undefined, (error: Error) => {
    throw new UserFacingError(`Could not copy ${chosen} from ${outer} into ${pathLabel(target.at)}: ${error.message}`);
  });
  // A copy can take minutes: its end is said where its progress was, not in the status bar.
  void vscode.window.showInformationMessage(notificationText(`Copied ${chosen} (${formatSize(result.bytes)}) from ${outer} into the engine inside ${pathLabel(target.at)}.`));
  return { image: chosen, bytes: result.bytes };
}

/** The DOCKER_HOST lines of a workspace whose inner engine is published (certificates copied again if missing). */
export async function publishedEnvironment(deps: WorkspaceActionDeps, argument: unknown): Promise<{ name: string; lines: string[] }> {
  const { engineService } = deps;
  const target = await targetOrPick(engineService, argument, 'Which workspace with a published engine?', true);
  const api = engineService.apiFor(target.container.engineKey);
  if (!api) throw new UserFacingError(`The engine of ${pathLabel(target.at)} is not connected.`);
  const engineLabel = engineLabelOf(target.at);
  const published = await deps.launcher.exportClientCertificates({ api, label: engineLabel }, target.container.id, target.container.name).catch((error: Error) => {
    throw new UserFacingError(`${pathLabel(target.at)} has no published inner engine (launch a DinD workspace with "publish"): ${error.message}`);
  });
  return { name: target.container.name, lines: dockerHostLines(published.port, published.certPath) };
}

export async function copyDockerHost(deps: WorkspaceActionDeps, argument: unknown): Promise<string> {
  const { lines } = await publishedEnvironment(deps, argument);
  const text = shellExportLines(lines);
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage('Copied DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', 4000);
  return text;
}

/** A host terminal whose docker CLI talks to the published inner engine. */
export async function openDockerHostTerminal(deps: WorkspaceActionDeps, argument: unknown): Promise<vscode.Terminal> {
  const { name, lines } = await publishedEnvironment(deps, argument);
  const env = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const terminal = vscode.window.createTerminal({ name: terminalTitle(`docker → ${name}`), env });
  terminal.show();
  return terminal;
}
