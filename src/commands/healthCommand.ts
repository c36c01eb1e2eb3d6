import * as vscode from 'vscode';
import { checkContainerHealth, checkEngineHealth, type HealthRun } from '../engine/healthGather';
import type { HealthResult } from '../model/health';
import { iconSafeText } from '../model/markdown';
import type { EngineSnapshot } from '../model/snapshot';
import { listTargets, type ResolvedTarget, pathLabel, rootEngineLabel } from '../model/targets';
import { containerNodeId, engineNodeId } from '../model/treeModel';
import { HealthPanel } from '../views/healthPanel';
import type { HealthStore } from '../views/healthStore';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';
import { resolveContainerArgument, resolveEngineArgument, targetOfArgument } from './containerArgument';

type Subject = { kind: 'engine'; engine: EngineSnapshot } | { kind: 'container'; target: ResolvedTarget };

function hasDocker(target: ResolvedTarget): boolean {
  const c = target.container.classification;
  return c.mode === 'dind' || c.mode === 'sysbox' || c.dood;
}

async function pickSubject(engineService: EngineService): Promise<Subject> {
  const roots = engineService.snapshot().filter((e) => e.status.kind === 'connected');
  const containers = listTargets(engineService.snapshot()).filter(hasDocker);
  const items = [
    ...roots.map((engine) => ({ label: iconSafeText(engine.name), description: iconSafeText(`engine · ${engine.endpoint}`), subject: { kind: 'engine', engine } as Subject })),
    ...containers.map((target) => ({
      label: iconSafeText(target.container.name),
      description: iconSafeText(pathLabel(target.at)),
      detail: iconSafeText(`${target.container.classification.mode}${target.container.classification.dood && target.container.classification.mode !== 'dood' ? ' + dood' : ''} · ${target.container.summary.State ?? ''}`),
      subject: { kind: 'container', target } as Subject,
    })),
  ];
  if (items.length === 0) throw new UserFacingError('No engine answers, so there is nothing to check.');
  const picked = await vscode.window.showQuickPick(items, { title: 'Check the health of which engine or container?', matchOnDescription: true, placeHolder: 'Engines, and DinD, Sysbox and DooD containers at every depth' });
  if (!picked) throw new vscode.CancellationError();
  return picked.subject;
}

/** A tree row, `{ engine }` (a root engine), `{ engine?, path }` (a container), or nothing (ask). */
async function resolveSubject(engineService: EngineService, argument: unknown): Promise<Subject> {
  await engineService.ready();
  if (argument === undefined) return pickSubject(engineService);
  const target = targetOfArgument(argument);
  if (!target) throw new UserFacingError('Pick an engine or a container in the Matryoshka view, or pass { engine: string } or { engine?: string, path: string[] }.');
  if (target.path.length === 0) return { kind: 'engine', engine: (await resolveEngineArgument(engineService, target)).engine };
  const resolved = await resolveContainerArgument(engineService, target);
  if (!hasDocker(resolved)) {
    throw new UserFacingError(`${pathLabel(resolved.at)} is a plain container: no engine inside and no engine socket. Health checks apply to engines and to DinD, Sysbox and DooD containers.`);
  }
  return { kind: 'container', target: resolved };
}

/**
 * matryoshka.engineHealth: runs the checks, records the badge, opens the report (or updates the
 * one open for the same engine or container) and resolves to the results.
 */
export async function runEngineHealth(engineService: EngineService, health: HealthStore, argument: unknown, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): Promise<HealthResult[]> {
  const subject = await resolveSubject(engineService, argument);
  const graph = await engineService.ready();
  const name = subject.kind === 'engine' ? rootEngineLabel(subject.engine.name) : pathLabel(subject.target.at);
  if (subject.kind === 'engine' && subject.engine.status.kind !== 'connected') {
    throw new UserFacingError(`Engine "${subject.engine.name}" is not connected${subject.engine.status.kind === 'disconnected' ? `: ${subject.engine.status.reason}` : ''}. Retry the connection, then check again.`);
  }
  let run: HealthRun;
  try {
    run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: iconSafeText(`Checking the health of ${name}`) }, () =>
      subject.kind === 'engine' ? checkEngineHealth(graph, subject.engine) : checkContainerHealth(graph, subject.target),
    );
  } catch (error) {
    throw new UserFacingError(`Could not check ${name}: ${(error as Error).message}`);
  }
  const nodeId = subject.kind === 'engine' ? engineNodeId(subject.engine) : containerNodeId(subject.target.container);
  const again = subject.kind === 'engine' ? { engine: subject.engine.name, path: [] } : { engine: subject.target.at.engine, path: [...subject.target.at.path] };
  HealthPanel.show(health, health.record(nodeId, run.subject, run.results, again), extensionUri, log);
  return run.results;
}
