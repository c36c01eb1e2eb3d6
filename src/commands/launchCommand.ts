import * as vscode from 'vscode';
import { iconSafeText, notificationText } from '../model/markdown';
import { LaunchError, SYSBOX_INSTALL_URL, socketGroup, type WorkspaceLauncher } from '../engine/workspaceLauncher';
import { findLaunchTarget, launchTargets, type LaunchTarget } from '../model/launchTargets';
import { resolveTarget, type ContainerTarget, type ResolvedTarget } from '../model/targets';
import { pathLabel } from '../model/treeModel';
import { planWorkspace, validateFolder, validateImage, validateName, type WorkspaceMode, type WorkspaceRequest } from '../model/workspaceSpec';
import { restrictedLaunchQuestion, type RestrictedLaunch } from '../model/restrictedLaunch';
import { ContainerNode } from '../views/nodes/containerNode';
import { EngineNode } from '../views/nodes/engineNode';
import type { RefreshController } from '../views/refreshController';
import { UserFacingError } from './commandErrors';
import { parseLaunchOptions, readLaunchSettings, type LaunchOptions } from './launchOptions';
import type { LaunchJournal } from './launchJournal';

export interface LaunchDeps {
  controller: RefreshController;
  launcher: WorkspaceLauncher;
  launches: LaunchJournal;
  version: string;
  reveal(target: ResolvedTarget, focus?: boolean): Promise<void>;
  log(message: string): void;
  /** Offered after a DinD with a published engine is up. */
  offerPublished(target: ContainerTarget): void;
}

export const MODE_NAMES: Record<WorkspaceMode, string> = { dood: 'DooD', dind: 'DinD', sysbox: 'Sysbox' };

const MODE_PICKS: (vscode.QuickPickItem & { mode: WorkspaceMode })[] = [
  {
    mode: 'dood',
    label: '$(plug) DooD: Docker outside of Docker',
    detail: 'Mounts the engine\'s socket: docker ps inside is the engine\'s own, what it starts are siblings. Risk: the socket controls every container on that engine.',
  },
  {
    mode: 'dind',
    label: '$(layers) DinD: Docker in Docker',
    detail: 'Its own engine inside: children stay inside, with their own image cache. Risk: --privileged is root on the host.',
  },
  {
    mode: 'sysbox',
    label: '$(shield) Sysbox',
    detail: 'Its own engine without --privileged, isolated by user namespaces. Needs the Sysbox runtime on the engine.',
  },
];

export interface LaunchResultForCaller {
  id: string;
  name: string;
  engine: string;
}

/**
 * The launch flow: mode, engine, name, image, folder, (publish), consent, then the launch with
 * progress. Given an options object it asks only what the object leaves out; a tree node (an
 * engine, or a container that runs one) picks the engine.
 */
export async function launchWorkspace(deps: LaunchDeps, fixedMode: WorkspaceMode | undefined, argument: unknown): Promise<LaunchResultForCaller | undefined> {
  const options: LaunchOptions = parseLaunchOptions(argument);
  const programmatic = argument !== undefined && !(argument instanceof EngineNode) && !(argument instanceof ContainerNode);
  const settings = readLaunchSettings();
  await deps.controller.ready();
  const roots = deps.controller.snapshot();
  const targets = launchTargets(roots);
  const mode = fixedMode ?? (await pick(MODE_PICKS, 'Launch a workspace: how should Docker run inside it?')).mode;

  let target: LaunchTarget;
  const fromNode = engineFromNode(argument);
  // A programmatic caller that names no engine means the current one, as the Docker CLI would.
  if (programmatic || fromNode !== undefined || targets.length <= 1) {
    const found = findLaunchTarget(targets, roots, options.engine ?? fromNode);
    if (typeof found === 'string') throw new UserFacingError(settings.trusted ? found : `${found} (In Restricted Mode the engines named in this folder's settings are not used.)`);
    target = found;
  } else {
    target = (await pick(targets.map((t) => ({ label: iconSafeText(t.label), description: iconSafeText(t.engine.endpoint), target: t })), `Launch the ${MODE_NAMES[mode]} workspace on which engine?`)).target;
  }
  if (mode === 'dood' && !target.socketPath) {
    const message = `DooD mounts the engine's socket, so it needs an engine on a local socket; ${target.label} is reached at ${target.engine.endpoint}. A DinD workspace runs its own engine instead.`;
    if (programmatic) throw new UserFacingError(message);
    if ((await vscode.window.showWarningMessage(notificationText(message), 'Launch DinD Instead')) !== 'Launch DinD Instead') throw new vscode.CancellationError();
    return launchWorkspace(deps, 'dind', { ...options, engine: target.label });
  }

  const taken = new Set(target.engine.containers.map((c) => c.name));
  const name = options.name ?? (await ask({
    title: iconSafeText(`${MODE_NAMES[mode]} workspace on ${target.label}: name`),
    value: uniqueName(`${mode}-workspace`, taken),
    validateInput: (v) => validateName(v.trim()) ?? (taken.has(v.trim()) ? `${v.trim()} already exists on ${target.label}.` : undefined),
  }));
  // A programmatic caller gets the defaults for what it leaves out; only a missing name is asked.
  const image = options.image ?? (programmatic ? settings.image(mode) : await ask({
    title: `${MODE_NAMES[mode]} workspace ${name}: image`,
    value: settings.image(mode),
    prompt: `The default comes from the setting matryoshka.${mode}.image.`,
    validateInput: (v) => validateImage(v.trim()),
  }));
  const folder = options.folder !== undefined ? options.folder : programmatic ? defaultFolder(target) : await pickFolder(target, mode);
  const publish = mode === 'dood' ? false : options.publish ?? (programmatic || !target.local ? false : await pickPublish());
  const request: WorkspaceRequest = {
    mode,
    name,
    image,
    folder,
    publish,
    runtime: mode === 'sysbox' ? options.runtime ?? settings.sysboxRuntimes[0] ?? 'sysbox-runc' : undefined,
    socketPath: mode === 'dood' ? target.socketPath : undefined,
    socketGroup: mode === 'dood' && target.socketPath
      ? await socketGroup(target.socketPath, target.host && apiHost(deps.controller, target))
      : undefined,
    version: deps.version,
  };
  // Checked before any question: a consent dialog for a launch that cannot happen helps nobody.
  const invalid = validateName(name) ?? validateImage(image) ?? validateFolder(folder);
  if (invalid) throw new UserFacingError(invalid);

  const { risks } = planWorkspace(request);
  if (!settings.trusted) {
    // Restricted Mode: whatever drove this command (a caller's skipConfirmation, the folder's own
    // settings) the person confirms what will be created, and sees which folder settings were ignored.
    const imageFrom = options.image !== undefined ? 'given by the command\'s caller' : programmatic ? 'your user settings or the default' : 'as you entered it';
    await confirmRestricted({ ...request, engine: target.label, modeName: MODE_NAMES[mode], risks, ignored: settings.ignored, imageFrom });
  } else if (risks.length && settings.confirmPrivileged && !options.skipConfirmation) {
    const answer = await vscode.window.showWarningMessage(
      notificationText(`Launch ${name} on ${target.label} with ${risks.map((r) => r.flag).join(' and ')}?`),
      { modal: true, detail: `${risks.map((r) => `${r.flag}: ${r.meaning}`).join('\n\n')}\n\n(The user setting matryoshka.confirmPrivilegedLaunch turns this question off.)` },
      'Launch',
    );
    if (answer !== 'Launch') throw new vscode.CancellationError();
  }

  const api = deps.controller.apiFor(target.engine.key);
  if (!api) throw new UserFacingError(`${target.label} is not connected any more; refresh and try again.`);
  // Ended below whatever happens; it stays only if this extension host dies half-way.
  await deps.launches.begin({ engine: target.label, name, startedAt: Date.now() });
  const result = await Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: iconSafeText(`${MODE_NAMES[mode]} workspace ${name} on ${target.label}`), cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return deps.launcher.launch({ api, label: target.label, local: target.local }, request, {
        progress: (message) => progress.report({ message }),
        signal: abort.signal,
        keepAfterTimeout: programmatic ? undefined : async (log) =>
          (await vscode.window.showWarningMessage(`The engine inside ${name} did not answer in time. Keep the container to look at it?`, { modal: true, detail: notificationText(log.slice(-2000)) }, 'Keep It')) === 'Keep It',
      });
    },
  )).finally(() => deps.launches.end({ engine: target.label, name })).then(undefined, async (error: unknown) => {
    if (error instanceof LaunchError && error.kind === 'cancelled' && !programmatic) throw new vscode.CancellationError();
    if (error instanceof LaunchError && error.kind === 'sysbox-missing' && !programmatic) return offerDindInstead(deps, error.message, { ...options, name, image, folder, engine: target.label });
    throw error instanceof LaunchError ? new UserFacingError(error.message) : error;
  });
  if (!('id' in result)) return result.instead;

  await deps.controller.relist(target.engine.key);
  const launched = { engine: target.rootEngine, path: [...target.containerPath, result.name] };
  try {
    // Without focus: a launch ends in the background, maybe while the user is typing in another
    // pick or editor, and taking the keyboard would close or disturb it.
    await deps.reveal(resolveTarget(deps.controller.snapshot(), launched), false);
  } catch (error) {
    // The view may be closed: the workspace is launched all the same.
    deps.log(`launched ${result.name}, but could not reveal it in the tree: ${(error as Error).message}`);
  }
  if (result.published) deps.offerPublished(launched);
  return { id: result.id, name: result.name, engine: target.label };
}

const MANAGE_TRUST = 'Manage Workspace Trust';

/** The Restricted Mode question: Launch goes on; anything else creates nothing (Manage opens the trust editor). */
async function confirmRestricted(launch: RestrictedLaunch): Promise<void> {
  const question = restrictedLaunchQuestion(launch);
  const answer = await vscode.window.showWarningMessage(notificationText(question.message), { modal: true, detail: notificationText(question.detail) }, 'Launch', MANAGE_TRUST);
  if (answer === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
  if (answer !== 'Launch') throw new vscode.CancellationError();
}

/** Sysbox is missing: the user may install it (the guide) or take DinD for this workspace. */
async function offerDindInstead(deps: LaunchDeps, message: string, options: LaunchOptions): Promise<{ instead: LaunchResultForCaller | undefined }> {
  const choice = await vscode.window.showErrorMessage(notificationText(message), 'Launch DinD Instead', 'Open Install Guide');
  if (choice === 'Open Install Guide') await vscode.env.openExternal(vscode.Uri.parse(SYSBOX_INSTALL_URL));
  if (choice !== 'Launch DinD Instead') return { instead: undefined };
  // The DinD image, not the Sysbox one: the user chose another mode.
  return { instead: await launchWorkspace(deps, 'dind', { ...options, image: undefined }) };
}

function engineFromNode(argument: unknown): string | undefined {
  if (argument instanceof EngineNode) return argument.engine.name;
  if (argument instanceof ContainerNode && argument.container.inner) return pathLabel(argument.path);
  return undefined;
}

function apiHost(controller: RefreshController, target: LaunchTarget) {
  const api = target.host && controller.apiFor(target.host.engine.key);
  return api && target.host ? { api, containerId: target.host.container.id } : undefined;
}

function uniqueName(base: string, taken: Set<string>): string {
  let n = 1;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

async function pick<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<T> {
  // Kept open when focus moves (a launch finishing elsewhere reveals its workspace in the tree).
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked) throw new vscode.CancellationError();
  return picked;
}

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new vscode.CancellationError();
  return value.trim();
}

function localFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}

function defaultFolder(target: LaunchTarget): string | null {
  return target.local ? localFolders()[0]?.uri.fsPath ?? null : null;
}

/** The open folder by default; folders are paths on this machine, so only for local engines. */
async function pickFolder(target: LaunchTarget, mode: WorkspaceMode): Promise<string | null> {
  const folders = localFolders();
  if (!target.local || folders.length === 0) return null;
  const same = mode === 'dood' ? ' at the same path, so that -v "$PWD":… typed inside resolves on the host' : ' at the same path';
  const items = [
    ...folders.map((f) => ({ label: `$(folder) ${f.name}`, description: f.uri.fsPath, detail: `Mount it${same}`, folder: f.uri.fsPath as string | null })),
    { label: '$(circle-slash) No folder', description: '', detail: 'Nothing from this machine is mounted', folder: null },
  ];
  return (await pick(items, 'Mount which folder into the workspace?')).folder;
}

async function pickPublish(): Promise<boolean> {
  const items = [
    { label: 'Keep the inner engine private', detail: 'Reach it through Matryoshka (the tree, terminals); no port is opened', publish: false },
    { label: 'Publish the inner engine on 127.0.0.1 with TLS', detail: 'Port 2376 on loopback, client certificates copied to this machine, for docker CLIs on the host', publish: true },
  ];
  return (await pick(items, 'Publish the inner engine?')).publish;
}
