import { checkSysboxRuntime, SYSBOX_RUNTIME } from '../model/sysboxRuntime';
import fs from 'node:fs';
import path from 'node:path';
import { planWorkspace, splitReference, validateFolder, validateImage, validateName, volumeNames, type WorkspaceRequest } from '../model/workspaceSpec';
import { tarFiles } from '../model/tarEntries';
import type { ContainerInspect } from '../model/apiTypes';
import type { EngineApi } from './engineApi';
import { createContainer, createVolume, engineRuntimes, findImage, logTail, pullImage, removeContainer, removeVolume, startContainer, volumeExists, getArchive } from './engineObjects';
import { publishedPortsSchema } from '../model/apiSchemas';
import { connectInnerEngine } from './innerEngine';
import { runExec } from './containerExec';
import { CLIENT_CERTIFICATE_FILES, writeClientCertificates } from './clientCertificates';


/** A launch that failed before anything was created, or whose leftovers were removed. */
/**
 * What the person can do next, named by the VS Code side in its own words (command titles are not
 * the engine layer's to know): remove what was kept, or load an image an engine cannot pull.
 */
export type LaunchAdvice = 'remove-workspace' | 'load-image';

export class LaunchError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'duplicate' | 'sysbox-missing' | 'image' | 'engine-timeout' | 'cancelled' | 'failed' = 'failed',
    readonly advice?: LaunchAdvice,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

export interface LaunchHooks {
  progress(message: string): void;
  signal?: AbortSignal;
  /** Asked when the inner engine did not answer in time: true keeps the container for a look. */
  keepAfterTimeout?(logTail: string): Promise<boolean>;
}

export interface PublishedEngine {
  port: number;
  certPath: string;
}

export interface LaunchResult {
  id: string;
  name: string;
  published?: PublishedEngine;
}

export interface LauncherOptions {
  /** Where client certificates of published engines are copied (one folder per workspace). */
  certRoot: string;
  innerEngineTimeoutMs: number;
  deadlineMs: number;
  log(message: string): void;
}

/** What the launcher needs of the engine that will run the workspace. */
export interface LaunchEngine {
  api: EngineApi;
  /** "default" or "default › ci-runner": for messages and the cert folder. */
  label: string;
  /** Whether 127.0.0.1 of the engine's host is this machine's (published ports are reachable). */
  local: boolean;
}

/**
 * Creates a workspace container on an engine at any depth and leaves nothing behind when it
 * fails or is cancelled: every object it created is removed again, in reverse order.
 */
export class WorkspaceLauncher {
  constructor(private readonly options: LauncherOptions) {}

  async launch(engine: LaunchEngine, request: WorkspaceRequest, hooks: LaunchHooks): Promise<LaunchResult> {
    const invalid = validateName(request.name) ?? validateImage(request.image) ?? validateFolder(request.folder);
    if (invalid) throw new LaunchError(invalid, 'invalid');
    if (request.publish && request.mode === 'dood') throw new LaunchError('Only DinD and Sysbox workspaces run an engine that can be published.', 'invalid');
    if (request.publish && !engine.local) {
      throw new LaunchError(`Publishing the inner engine needs an engine on this machine; ${engine.label} is not (its 127.0.0.1 is not yours).`, 'invalid');
    }
    const plan = planWorkspace(request);
    const { api } = engine;
    await this.preflight(engine, request);

    const cleanup: { what: string; run: () => Promise<void> }[] = [];
    let keep = false;
    try {
      await this.ensureImage(engine, request.image, hooks);
      for (const volume of plan.volumes) {
        this.checkCancelled(hooks);
        hooks.progress(`Creating volume ${volume.Name}`);
        await createVolume(api, volume.Name, volume.Labels);
        cleanup.push({ what: `volume ${volume.Name}`, run: () => removeVolume(api, volume.Name) });
      }
      this.checkCancelled(hooks);
      hooks.progress(`Creating container ${request.name}`);
      const id = await createContainer(api, request.name, plan.container, hooks.signal);
      cleanup.unshift({ what: `container ${request.name}`, run: () => removeContainer(api, id) });
      hooks.progress(`Starting ${request.name}`);
      await startContainer(api, id, hooks.signal);
      if (plan.innerEngine) {
        const waited = await this.waitForInnerEngine(engine, id, request.name, hooks);
        if (waited !== 'answered') {
          keep = waited.keep;
          throw new LaunchError(waited.message, 'engine-timeout');
        }
      }
      const published = request.publish ? await this.exportClientCertificates(engine, id, request.name) : undefined;
      this.options.log(`launched ${request.mode} workspace ${request.name} (${id.slice(0, 12)}) on ${engine.label}`);
      return { id, name: request.name, published };
    } catch (error) {
      const cancelled = hooks.signal?.aborted === true;
      const leftovers = keep ? [] : await this.undo(cleanup);
      const reason = cancelled ? `Launch of ${request.name} on ${engine.label} cancelled` : (error as Error).message;
      const tail = keep
        ? ` The container ${request.name} was kept for you to look at.`
        : cleanup.length
          ? leftovers.length
            ? ` Could not remove: ${leftovers.join('; ')}.`
            : ' Nothing was left behind.'
          : '';
      const advice = keep ? 'remove-workspace' : error instanceof LaunchError ? error.advice : undefined;
      throw new LaunchError(`${reason}.${tail}`.replace(/\.\./, '.'), cancelled ? 'cancelled' : error instanceof LaunchError ? error.kind : 'failed', advice);
    }
  }

  private async preflight(engine: LaunchEngine, request: WorkspaceRequest): Promise<void> {
    const { api } = engine;
    const containers = await api.listContainers(true);
    if (containers.some((c) => (c.Names ?? []).some((n) => n.replace(/^\//, '') === request.name))) {
      throw new LaunchError(`A container named ${request.name} already exists on ${engine.label}. Pick another name, or remove it first.`, 'duplicate');
    }
    if (request.mode !== 'dood') {
      for (const volume of Object.values(volumeNames(request.name))) {
        if (await volumeExists(api, volume)) {
          throw new LaunchError(`The volume ${volume} already exists on ${engine.label} (left from an earlier workspace?). A workspace never shares its engine's volumes: remove it (docker volume rm ${volume}) or pick another name.`, 'duplicate');
        }
      }
    }
    if (request.mode === 'sysbox') {
      // Asked again here, although the launch flow asked first: the engine may have changed since.
      const check = checkSysboxRuntime(engine.label, await engineRuntimes(api), [], request.runtime ?? SYSBOX_RUNTIME);
      if (check.kind !== 'ok') throw new LaunchError(check.message, 'sysbox-missing');
    }
  }

  private async ensureImage(engine: LaunchEngine, image: string, hooks: LaunchHooks): Promise<void> {
    if (await findImage(engine.api, image)) return;
    const { fromImage, tag } = splitReference(image);
    hooks.progress(`Pulling ${image}`);
    try {
      await pullImage(engine.api, fromImage, tag, (line) => hooks.progress(`Pulling ${image}: ${line}`), hooks.signal);
    } catch (error) {
      if (hooks.signal?.aborted) throw error;
      throw new LaunchError(
        `The image ${image} is not on ${engine.label}, and pulling it failed: ${(error as Error).message.replace(/^.*?failed: /, '')}. Check the name and the registry, or load the image into that engine first.`,
        'image',
        'load-image',
      );
    }
  }

  /** Polls the inner engine through a relay, with backoff, until it answers or time runs out. */
  private async waitForInnerEngine(engine: LaunchEngine, id: string, name: string, hooks: LaunchHooks): Promise<'answered' | { message: string; keep: boolean }> {
    const started = Date.now();
    let delay = 250;
    let lastError = '';
    hooks.progress(`Waiting for the engine inside ${name}`);
    while (Date.now() - started < this.options.innerEngineTimeoutMs) {
      this.checkCancelled(hooks);
      const state = (await engine.api.inspectContainer(id)) as ContainerInspect;
      if (!state.State?.Running) {
        const log = await logTail(engine.api, id, 30, state.Config?.Tty === true).catch(() => '');
        return { message: `${name} stopped (exit code ${state.State?.ExitCode ?? '?'}) before its engine answered. Its log ends with:\n${log.trim() || '(empty)'}`, keep: false };
      }
      try {
        const inner = await connectInnerEngine(engine.api, id, `${engine.label} › ${name}`, this.options.deadlineMs);
        inner.transport.dispose();
        return 'answered';
      } catch (error) {
        lastError = (error as Error).message;
      }
      await sleep(delay, hooks.signal);
      delay = Math.min(delay * 2, 3000);
    }
    const log = await logTail(engine.api, id, 30, false).catch(() => '');
    const seconds = Math.round(this.options.innerEngineTimeoutMs / 1000);
    const message = `The engine inside ${name} did not answer within ${seconds} s (${lastError}). Its log ends with:\n${log.trim() || '(empty)'}`;
    const keep = (await hooks.keepAfterTimeout?.(log)) ?? false;
    return { message, keep };
  }

  /** Copies the inner engine's client certificates out, so a host shell can use the published port. */
  async exportClientCertificates(engine: Pick<LaunchEngine, 'api' | 'label'>, id: string, name: string): Promise<PublishedEngine> {
    const inspect = await engine.api.call({ path: `/containers/${encodeURIComponent(id)}/json`, method: 'GET', statusCodes: { 200: true }, schema: publishedPortsSchema });
    const port = Number(inspect.NetworkSettings?.Ports?.['2376/tcp']?.[0]?.HostPort);
    if (!port) throw new LaunchError(`${name} has no published port for 2376/tcp on ${engine.label}.`);
    const files = tarFiles(await getArchive(engine.api, id, '/certs/client'));
    const missing = CLIENT_CERTIFICATE_FILES.find((wanted) => !files.some((f) => path.posix.basename(f.name) === wanted));
    if (missing) throw new LaunchError(`${name} on ${engine.label} has no /certs/client/${missing}: is DOCKER_TLS_CERTDIR honoured by the image?`);
    return { port, certPath: writeClientCertificates(this.options.certRoot, engine.label, name, files) };
  }

  private async undo(cleanup: { what: string; run: () => Promise<void> }[]): Promise<string[]> {
    const failed: string[] = [];
    for (const step of cleanup) {
      try {
        await step.run();
      } catch (error) {
        failed.push(`${step.what} (${(error as Error).message})`);
      }
    }
    return failed;
  }

  private checkCancelled(hooks: LaunchHooks): void {
    if (hooks.signal?.aborted) throw new LaunchError('cancelled', 'cancelled');
  }
}

/** The gid of the socket a DooD workspace mounts, so a non-root user inside can be given that group. */
export async function socketGroup(socketPath: string, host?: { api: EngineApi; containerId: string }): Promise<number | undefined> {
  if (!host) return fs.promises.stat(socketPath).then((s) => s.gid, () => undefined);
  const result = await runExec(host.api, host.containerId, ['stat', '-c', '%g', socketPath]).catch(() => undefined);
  const gid = Number(result?.stdout.trim());
  return result?.exitCode === 0 && Number.isInteger(gid) ? gid : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
