import type { ContainerInspect, ContainerSummary, MountPoint } from './apiTypes';
import { followsInLine, trimTrailing } from './linearText';

export type Mode = 'plain' | 'dood' | 'dind' | 'sysbox';

/** What probing the container for an inner engine found (only candidates are probed). */
export interface ProbeResult {
  answered: boolean;
  reason?: string;
  /** The relay inside reached this engine, already shown elsewhere in the tree (by its path). */
  aliasOf?: string;
}

export interface ClassifyInput {
  summary: ContainerSummary;
  inspect?: ContainerInspect;
  /** Unix socket paths of the engine running the container, as the host sees them. */
  engineSocketPaths: readonly string[];
  sysboxRuntimes: readonly string[];
  probe?: ProbeResult;
  /** staticFacts of this container, when the caller keeps them (they never change for an id). */
  facts?: StaticFacts;
}

/**
 * What classification reads from a container's inspect, image, command, labels and mounts: none of
 * it changes for a container id, so the graph computes it once per container rather than three
 * times per listing (it showed in the warm profile).
 */
export interface StaticFacts {
  nominations: string[];
  doodReasons: string[];
}

export function staticFacts(input: ClassifyInput): StaticFacts {
  return { nominations: engineNominations(input), doodReasons: doodEvidence(input) };
}

export interface Classification {
  /** The mode that decides nesting: dind/sysbox (own engine) win over dood. */
  mode: Mode;
  /** Also bind-mounts or points at the engine that runs it (can be true with dind). */
  dood: boolean;
  privileged: boolean;
  /** An engine answered inside (children nest under this container). */
  hostsEngine: boolean;
  /** Evidence a user can read: why this mode, in the engine's own words. */
  evidence: string[];
  /** The engine its socket reaches, when a probe found it is one already shown (by its path). */
  aliasOf?: string;
}

const SOCKET_DESTINATIONS = ['/var/run/docker.sock', '/run/docker.sock'];
/** Images that run their own dockerd: docker:dind and friends, kind/minikube node images. */
const ENGINE_IMAGE = { test: (image: string) => /(^|[/:@-])(dind|kicbase|kindest\/node|k3d|sysbox)([-:@./]|$)/i.test(image) || followsInLine(image, 'docker:', ['dind']) };
const ENGINE_LABEL_MODES = new Set(['dind', 'sysbox']);

export function isRunning(summary: ContainerSummary): boolean {
  return summary.State === 'running';
}

/** /var/run is a symlink to /run on every current distribution: treat the two as one. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => trimTrailing(p, '/').replace(/^\/var\/run\//, '/run/');
  return norm(a) === norm(b);
}

function mountsOf(input: ClassifyInput): MountPoint[] {
  return input.inspect?.Mounts ?? input.summary.Mounts ?? [];
}

function commandLine(input: ClassifyInput): string {
  const config = input.inspect?.Config;
  const parts = [config?.Entrypoint, config?.Cmd, input.inspect?.Path, input.summary.Command]
    .flatMap((p) => (Array.isArray(p) ? p : p ? [p] : []));
  return parts.join(' ');
}

/** Why a container may host an engine, before any probe; empty when it is not a candidate. */
export function engineNominations(input: ClassifyInput): string[] {
  const reasons: string[] = [];
  const runtime = input.inspect?.HostConfig?.Runtime;
  if (runtime && input.sysboxRuntimes.includes(runtime)) reasons.push(`runtime ${runtime}`);
  if (input.inspect?.HostConfig?.Privileged) reasons.push('--privileged');
  const image = input.inspect?.Config?.Image ?? input.summary.Image ?? '';
  if (ENGINE_IMAGE.test(image)) reasons.push(`image ${image}`);
  if (/(^|[\s/])dockerd(\s|$)|dockerd-entrypoint/.test(commandLine(input))) reasons.push('runs dockerd');
  const labelMode = input.summary.Labels?.['dev.matryoshka.mode'];
  if (labelMode && ENGINE_LABEL_MODES.has(labelMode)) reasons.push(`label dev.matryoshka.mode=${labelMode}`);
  if (mountsOf(input).some((m) => m.Destination === '/var/lib/docker')) reasons.push('a volume at /var/lib/docker');
  return reasons;
}

/**
 * Probe only containers that could host an engine and run: privileged ones, the Sysbox runtime,
 * or an engine image/entrypoint/label (a privileged flag alone is enough: kicbase-like images).
 */
export function isEngineCandidate(input: ClassifyInput): boolean {
  if (!isRunning(input.summary) || !input.inspect) return false;
  return (input.facts?.nominations ?? engineNominations(input)).length > 0;
}

/**
 * A candidate already from the container list, before its inspect: running, with an engine image,
 * a dockerd command, an engine label or a volume at /var/lib/docker (the summary carries those).
 * Inspect can only add nominations (--privileged, the Sysbox runtime), so the relay to such an
 * engine can open while the inspects run; the inspected answer (isEngineCandidate) still decides.
 */
export function isListedEngineCandidate(input: ClassifyInput): boolean {
  if (!isRunning(input.summary)) return false;
  if (input.inspect) return isEngineCandidate(input);
  return engineNominations(input).length > 0;
}

function doodEvidence(input: ClassifyInput): string[] {
  const evidence: string[] = [];
  for (const mount of mountsOf(input)) {
    if (mount.Type && mount.Type !== 'bind') continue;
    const source = mount.Source ?? '';
    const destination = mount.Destination ?? '';
    const sourceIsEngine = input.engineSocketPaths.some((p) => samePath(p, source));
    const destinationIsSocket = SOCKET_DESTINATIONS.some((p) => samePath(p, destination));
    if (sourceIsEngine || destinationIsSocket) evidence.push(`mounts the engine socket ${source} at ${destination}`);
  }
  const dockerHost = (input.inspect?.Config?.Env ?? []).find((e) => e.startsWith('DOCKER_HOST='))?.slice('DOCKER_HOST='.length);
  if (dockerHost && pointsOutside(dockerHost, input)) evidence.push(`DOCKER_HOST=${dockerHost} points at an outer engine`);
  return evidence;
}

/** A DOCKER_HOST on loopback or the container's own default socket is the container's own engine. */
function pointsOutside(dockerHost: string, input: ClassifyInput): boolean {
  if (dockerHost.startsWith('unix://')) {
    const path = dockerHost.slice('unix://'.length);
    return mountsOf(input).some((m) => m.Destination !== undefined && samePath(m.Destination, path));
  }
  try {
    const host = new URL(dockerHost.replace(/^tcp:/, 'http:')).hostname;
    return !['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0'].includes(host);
  } catch {
    return false;
  }
}

export function classify(input: ClassifyInput): Classification {
  const privileged = input.inspect?.HostConfig?.Privileged === true;
  const runtime = input.inspect?.HostConfig?.Runtime;
  const sysboxRuntime = runtime !== undefined && input.sysboxRuntimes.includes(runtime);
  const aliasOf = input.probe?.aliasOf;
  // The cached facts are shared across listings: extended only in a copy, and only for an alias.
  const staticReasons = input.facts?.doodReasons ?? doodEvidence(input);
  const doodReasons = aliasOf === undefined ? staticReasons : [...staticReasons, `the socket inside answers as engine "${aliasOf}"`];
  const dood = doodReasons.length > 0;
  const nominations = input.facts?.nominations ?? engineNominations(input);
  const answered = input.probe?.answered === true && aliasOf === undefined;
  const evidence: string[] = [];

  let mode: Mode = 'plain';
  if (sysboxRuntime) {
    mode = 'sysbox';
    evidence.push(`runtime ${runtime} (Sysbox)`, privileged ? 'also --privileged' : 'not privileged');
  } else if (aliasOf === undefined && (answered || (privileged && nominations.some((n) => n !== '--privileged')))) {
    // A privileged container whose image or entrypoint is an engine's is DinD even while stopped
    // or starting; privileged alone needs the probe to confirm.
    mode = 'dind';
    evidence.push(privileged ? '--privileged (root on the host)' : 'not privileged');
  } else if (dood) {
    mode = 'dood';
  }
  if (mode === 'dind' || mode === 'sysbox') {
    evidence.push(...nominations.filter((n) => n !== '--privileged' && !n.startsWith('runtime ')));
    if (answered) evidence.push('an engine answers inside');
    else if (input.probe?.reason) evidence.push(`no engine answers inside: ${input.probe.reason}`);
    else if (!isRunning(input.summary)) evidence.push('not running: the inner engine was not probed');
  } else if (privileged) {
    evidence.push(aliasOf !== undefined ? '--privileged (root on the host), with no engine of its own' : '--privileged (root on the host), but no engine answers inside');
    if (input.probe?.reason && aliasOf === undefined) evidence.push(input.probe.reason);
  }
  evidence.push(...doodReasons);
  if (mode === 'plain' && evidence.length === 0) evidence.push('no engine socket, no inner engine, not privileged');
  return { mode, dood, privileged, hostsEngine: answered, evidence, ...(aliasOf !== undefined ? { aliasOf } : {}) };
}

/** What each mode means for the host's security, as the tooltip says it. */
export function securityMeaning(classification: Classification): string[] {
  const lines: string[] = [];
  if (classification.privileged) lines.push('Privileged: root on the host. It can load kernel modules, see every device and escape the container.');
  if (classification.mode === 'sysbox') lines.push('Sysbox: isolated by user namespaces; root inside is not root on the host.');
  if (classification.mode === 'dind' && !classification.privileged) {
    // Sysbox under a runtime name missing from matryoshka.sysbox.runtimes, or a rootless engine.
    lines.push('Its own engine, without --privileged: what it starts are children. How isolated it is depends on its runtime; if that is Sysbox, add it to matryoshka.sysbox.runtimes.');
  }
  if (classification.dood) lines.push('Socket mount: control of every container on this engine, and through them of the host.');
  if (lines.length === 0) lines.push('No Docker access: an ordinary container.');
  return lines;
}

export function modeLabel(classification: Classification): string {
  if (classification.dood && classification.mode !== 'dood' && classification.mode !== 'plain') return `${classification.mode} + dood`;
  return classification.mode;
}
