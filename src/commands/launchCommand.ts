import * as vscode from 'vscode';
import { iconSafeText, notificationText } from '../model/markdown';
import { LaunchError, socketGroup, type LaunchAdvice, type WorkspaceLauncher } from '../engine/workspaceLauncher';
import { findLaunchTarget, launchTargets, type LaunchTarget } from '../model/launchTargets';
import { resolveEngine, resolveTarget, TargetError, type ContainerTarget, type ResolvedTarget, pathLabel } from '../model/targets';
import { planWorkspace, validateFolder, validateImage, validateName, type WorkspaceMode, type WorkspaceRequest } from '../model/workspaceSpec';
import { restrictedLaunchQuestion, type RestrictedLaunch } from '../model/restrictedLaunch';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';
import { parseLaunchOptions, type LaunchOptions } from './launchOptions';
import { checkSysboxRuntime, sysboxRuntimeNote, SYSBOX_INSTALL_URL } from '../model/sysboxRuntime';
import { engineRuntimes } from '../engine/engineObjects';
import { isTreeRow, targetOfArgument } from './containerArgument';
import { readLaunchSettings, type LaunchSettings } from '../services/settings';
import type { LaunchJournal } from './launchJournal';
import { ask, defaultFolder, MODE_PICKS, pick, pickFolder, pickPublish, uniqueName } from './launchPrompts';

export interface LaunchDeps {
  engineService: EngineService;
  launcher: WorkspaceLauncher;
  launches: LaunchJournal;
  version: string;
  reveal(target: ResolvedTarget, focus?: boolean): Promise<void>;
  log(message: string): void;
  /** Offered after a launch from the palette or the tree: what to do next with the workspace. */
  offerLaunched(target: ContainerTarget, what: LaunchedOffer): void;
}

/** What to offer after a launch: the next steps (to a person, not to a caller), the published engine's. */
export interface LaunchedOffer {
  ready: boolean;
  hostsEngine: boolean;
  published: boolean;
}

export const MODE_NAMES: Record<WorkspaceMode, string> = { dood: 'DooD', dind: 'DinD', sysbox: 'Sysbox' };

export interface LaunchResultForCaller {
  id: string;
  name: string;
  engine: string;
}

/**
 * The launch flow: mode, engine, name, image, folder, (publish), consent, then the launch with
 * progress. Given an options object it asks only what the object leaves out; a tree node (an
 * engine, or a container that runs one) picks the engine. Each step is a function of its own.
 */
export async function launchWorkspace(deps: LaunchDeps, fixedMode: WorkspaceMode | undefined, argument: unknown): Promise<LaunchResultForCaller | undefined> {
  const options: LaunchOptions = parseLaunchOptions(argument);
  const programmatic = argument !== undefined && !isTreeRow(argument);
  const settings = readLaunchSettings();
  await deps.engineService.ready();
  const mode = fixedMode ?? (await pick(MODE_PICKS, 'Launch a workspace: how should Docker run inside it?')).mode;
  const target = await chooseTarget(deps, mode, options, engineFromRow(deps.engineService, argument), programmatic, settings);
  if (mode === 'dood' && !target.socketPath) {
    const message = `DooD mounts the engine's socket, so it needs an engine on a local socket; ${target.label} is reached at ${target.engine.endpoint}. A DinD workspace runs its own engine instead.`;
    if (programmatic) throw new UserFacingError(message);
    if ((await vscode.window.showWarningMessage(notificationText(message), 'Launch DinD Instead')) !== 'Launch DinD Instead') throw new vscode.CancellationError();
    return launchWorkspace(deps, 'dind', { ...options, engine: target.label });
  }
  // Sysbox is checked before any other question: answers to a launch that cannot happen help nobody.
  const runtime = mode === 'sysbox' ? await sysboxRuntimeFor(deps, target, options, programmatic, settings) : undefined;
  if (typeof runtime === 'object') return runtime.instead;
  const request = await gatherRequest(deps, mode, target, { ...options, runtime }, programmatic, settings);
  await confirmLaunch(request, target, options, programmatic, settings);
  const result = await runLaunch(deps, request, target, options, programmatic);
  if (!('id' in result)) return result.instead;
  await showLaunched(deps, target, result);
  deps.offerLaunched({ engine: target.at.engine, path: [...target.at.path, result.name] }, { ready: !programmatic, hostsEngine: request.mode !== 'dood', published: result.published !== undefined });
  return { id: result.id, name: result.name, engine: target.label };
}

/** The engine to launch on: named by the caller or the clicked node, the only one, or picked. */
async function chooseTarget(
  deps: LaunchDeps,
  mode: WorkspaceMode,
  options: LaunchOptions,
  fromNode: string | undefined,
  programmatic: boolean,
  settings: LaunchSettings,
): Promise<LaunchTarget> {
  const roots = deps.engineService.snapshot();
  const targets = launchTargets(roots);
  // A programmatic caller that names no engine means the current one, as the Docker CLI would.
  if (programmatic || fromNode !== undefined || targets.length <= 1) {
    const found = findLaunchTarget(roots, options.engine ?? fromNode);
    if (typeof found === 'string') throw new UserFacingError(settings.trusted ? found : `${found} (In Restricted Mode the engines named in this folder's settings are not used.)`);
    return found;
  }
  const runtimes = mode === 'sysbox' ? await Promise.all(targets.map((t) => runtimesOf(deps, t))) : [];
  const items = targets.map((t, i) => ({
    label: iconSafeText(t.label),
    description: iconSafeText([whereEngineRuns(t), mode === 'sysbox' ? sysboxRuntimeNote(runtimes[i], settings.sysboxRuntimes) : ''].filter(Boolean).join(' · ')),
    target: t,
  }));
  return (await pick(items, `Launch the ${MODE_NAMES[mode]} workspace on which engine?`)).target;
}

/** How a person knows an engine: where it is reached for a root engine, the container it runs in otherwise. */
function whereEngineRuns(target: LaunchTarget): string {
  if (!target.host) return target.engine.endpoint;
  return `inside ${target.host.container.name} (${target.host.container.classification.mode})`;
}

async function runtimesOf(deps: LaunchDeps, target: LaunchTarget): Promise<string[] | undefined> {
  const api = deps.engineService.apiFor(target.engine.key);
  return api ? engineRuntimes(api).catch(() => undefined) : undefined;
}

/** The runtime of a Sysbox workspace on this engine, or what the person chose instead (DinD, or nothing). */
async function sysboxRuntimeFor(deps: LaunchDeps, target: LaunchTarget, options: LaunchOptions, programmatic: boolean, settings: LaunchSettings): Promise<string | { instead: LaunchResultForCaller | undefined }> {
  const api = deps.engineService.apiFor(target.engine.key);
  if (!api) throw new UserFacingError(`${target.label} is not connected any more; refresh and try again.`);
  const check = checkSysboxRuntime(target.label, await engineRuntimes(api), settings.sysboxRuntimes, options.runtime);
  if (check.kind === 'ok') return check.runtime;
  if (programmatic) throw new UserFacingError(check.message);
  if (check.kind === 'missing') return offerDindInstead(deps, check.message, { ...options, engine: target.label });
  const use = `Use ${check.listed}`;
  const choice = await vscode.window.showWarningMessage(notificationText(check.message), use, OPEN_SETTING);
  if (choice === use) return check.listed;
  if (choice === OPEN_SETTING) await vscode.commands.executeCommand('workbench.action.openSettings', 'matryoshka.sysbox.runtimes');
  throw new vscode.CancellationError();
}

/** Name, image, folder and publishing: from the caller's options, the defaults, or asked; then validated. */
async function gatherRequest(
  deps: LaunchDeps,
  mode: WorkspaceMode,
  target: LaunchTarget,
  options: LaunchOptions,
  programmatic: boolean,
  settings: LaunchSettings,
): Promise<WorkspaceRequest> {
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
  // Checked before any question: a consent dialog for a launch that cannot happen helps nobody.
  const invalid = validateName(name) ?? validateImage(image) ?? validateFolder(folder);
  if (invalid) throw new UserFacingError(invalid);
  return {
    mode,
    name,
    image,
    folder,
    publish,
    runtime: mode === 'sysbox' ? options.runtime : undefined,
    socketPath: mode === 'dood' ? target.socketPath : undefined,
    socketGroup: mode === 'dood' && target.socketPath
      ? await socketGroup(target.socketPath, target.host && apiHost(deps.engineService, target))
      : undefined,
    version: deps.version,
  };
}

/** The person's consent: always in Restricted Mode; for privileged flags or a socket unless turned off. */
async function confirmLaunch(request: WorkspaceRequest, target: LaunchTarget, options: LaunchOptions, programmatic: boolean, settings: LaunchSettings): Promise<void> {
  const { risks } = planWorkspace(request);
  if (!settings.trusted) {
    // Restricted Mode: whatever drove this command (a caller's skipConfirmation, the folder's own
    // settings) the person confirms what will be created, and sees which folder settings were ignored.
    const imageFrom = options.image !== undefined ? 'given by the command\'s caller' : programmatic ? 'your user settings or the default' : 'as you entered it';
    await confirmRestricted({ ...request, engine: target.label, modeName: MODE_NAMES[request.mode], risks, ignored: settings.ignored, imageFrom });
  } else if (risks.length && settings.confirmPrivileged && !options.skipConfirmation) {
    const answer = await vscode.window.showWarningMessage(
      notificationText(`Launch ${request.name} on ${target.label} with ${risks.map((r) => r.flag).join(' and ')}?`),
      { modal: true, detail: `${risks.map((r) => `${r.flag}: ${r.meaning}`).join('\n\n')}\n\n(The user setting matryoshka.confirmPrivilegedLaunch turns this question off.)` },
      'Launch',
    );
    if (answer !== 'Launch') throw new vscode.CancellationError();
  }
}

type LaunchOutcome = Awaited<ReturnType<WorkspaceLauncher['launch']>> | { instead: LaunchResultForCaller | undefined };

/** The launch itself, journalled (see LaunchJournal) and with cancellable progress; errors become what the user reads. */
async function runLaunch(deps: LaunchDeps, request: WorkspaceRequest, target: LaunchTarget, options: LaunchOptions, programmatic: boolean): Promise<LaunchOutcome> {
  const api = deps.engineService.apiFor(target.engine.key);
  if (!api) throw new UserFacingError(`${target.label} is not connected any more; refresh and try again.`);
  const { name, image, folder } = request;
  // Ended below whatever happens; it stays only if this extension host dies half-way.
  await deps.launches.begin({ engine: target.label, name, startedAt: Date.now() });
  return Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: iconSafeText(`${MODE_NAMES[request.mode]} workspace ${name} on ${target.label}`), cancellable: true },
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
    throw error instanceof LaunchError ? new UserFacingError(error.message + adviceText(error.advice)) : error;
  });
}

/** The new workspace in the tree (without taking focus), and what to do next with a published engine. */
async function showLaunched(deps: LaunchDeps, target: LaunchTarget, result: { id: string; name: string }): Promise<void> {
  await deps.engineService.relist(target.engine.key);
  const launched = { engine: target.at.engine, path: [...target.at.path, result.name] };
  try {
    // Without focus: a launch ends in the background, maybe while the user is typing in another
    // pick or editor, and taking the keyboard would close or disturb it.
    await deps.reveal(resolveTarget(deps.engineService.snapshot(), launched), false);
  } catch (error) {
    // The view may be closed: the workspace is launched all the same.
    deps.log(`launched ${result.name}, but could not reveal it in the tree: ${(error as Error).message}`);
  }
}

/** What to do next, in the commands' own titles (see LaunchAdvice). */
function adviceText(advice: LaunchAdvice | undefined): string {
  if (advice === 'remove-workspace') return ' Remove it with "Matryoshka: Remove Workspace".';
  if (advice === 'load-image') return ' ("Matryoshka: Copy Image into Inner Engine" for inner engines, docker load for others.)';
  return '';
}

const MANAGE_TRUST = 'Manage Workspace Trust';
const OPEN_SETTING = 'Open Setting';

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

/** The engine a clicked row stands for (an engine, or a container that runs one); otherwise none, and the flow asks. */
function engineFromRow(engineService: EngineService, argument: unknown): string | undefined {
  const target = isTreeRow(argument) ? targetOfArgument(argument) : undefined;
  if (!target) return undefined;
  try {
    return pathLabel(resolveEngine(engineService.snapshot(), target).at);
  } catch (error) {
    if (error instanceof TargetError) return undefined;
    throw error;
  }
}

function apiHost(engineService: EngineService, target: LaunchTarget) {
  const api = target.host && engineService.apiFor(target.host.engine.key);
  return api && target.host ? { api, containerId: target.host.container.id } : undefined;
}

