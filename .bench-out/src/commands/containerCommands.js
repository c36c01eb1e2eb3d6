"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.pickContainer = pickContainer;
exports.targetOrPick = targetOrPick;
exports.runContainerAction = runContainerAction;
const vscode = __importStar(require("vscode"));
const classify_1 = require("../model/classify");
const targets_1 = require("../model/targets");
const treeModel_1 = require("../model/treeModel");
const commandErrors_1 = require("./commandErrors");
const containerArgument_1 = require("./containerArgument");
const VERBS = {
    start: { doing: 'Starting', done: 'start' },
    stop: { doing: 'Stopping', done: 'stop' },
    restart: { doing: 'Restarting', done: 'restart' },
    remove: { doing: 'Removing', done: 'remove' },
};
/** A quick pick of containers across all engines, labelled with where they are nested. */
async function pickContainer(controller, title, onlyRunning) {
    await controller.ready();
    const targets = (0, targets_1.listTargets)(controller.snapshot()).filter((t) => !onlyRunning || (0, classify_1.isRunning)(t.container.summary));
    if (targets.length === 0)
        throw new commandErrors_1.UserFacingError(onlyRunning ? 'No running container on any engine.' : 'No container on any engine.');
    const picked = await vscode.window.showQuickPick(targets.map((target) => ({
        label: target.container.name,
        description: (0, treeModel_1.pathLabel)(target.path),
        detail: `${target.container.summary.Image ?? ''} · ${target.container.summary.Status ?? ''}`,
        target,
    })), { title, matchOnDescription: true, placeHolder: 'Containers at every depth: engine › container › …' });
    if (!picked)
        throw new vscode.CancellationError();
    return picked.target;
}
/** A tree node, a `{ engine?, path }` target, or nothing (then ask). */
function targetOrPick(controller, argument, title, onlyRunning) {
    return argument === undefined ? pickContainer(controller, title, onlyRunning) : (0, containerArgument_1.resolveContainerArgument)(controller, argument);
}
/**
 * Start, stop, restart or remove one container or a multi-selection. Removing asks first, and says
 * how many containers inside go with a container that runs an engine. Programmatic callers may pass
 * `skipConfirmation: true` in the target.
 */
async function runContainerAction(controller, action, clicked, selected) {
    const arguments_ = Array.isArray(selected) && selected.length > 1 ? selected : [clicked];
    const targets = await Promise.all(arguments_.map((a) => targetOrPick(controller, a, `${VERBS[action].done[0].toUpperCase()}${VERBS[action].done.slice(1)} which container?`, action === 'stop' || action === 'restart')));
    const skip = typeof clicked === 'object' && clicked !== null && clicked.skipConfirmation === true;
    if (action === 'remove' && !skip && !(await confirmRemove(targets)))
        return;
    const failures = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${VERBS[action].doing} ${targets.map((t) => t.container.name).join(', ')}` }, async () => {
        await Promise.all(targets.map(async (target) => {
            const api = controller.apiFor(target.container.engineKey);
            try {
                if (!api)
                    throw new Error('its engine is not connected');
                await api.containerAction(target.container.id, action);
                await controller.relist(target.container.engineKey);
            }
            catch (error) {
                failures.push(`Could not ${VERBS[action].done} ${(0, treeModel_1.pathLabel)(target.path)}: ${error.message}`);
            }
        }));
    });
    if (failures.length)
        throw new commandErrors_1.UserFacingError(failures.join('\n'));
}
async function confirmRemove(targets) {
    const lines = targets.map((t) => {
        const inner = (0, targets_1.countInner)(t.container);
        return `${(0, treeModel_1.pathLabel)(t.path)}${inner ? `: runs an engine with ${inner} container${inner === 1 ? '' : 's'} inside, which go with it` : ''}`;
    });
    const answer = await vscode.window.showWarningMessage(targets.length === 1 ? `Remove ${targets[0].container.name}?` : `Remove ${targets.length} containers?`, { modal: true, detail: `${lines.join('\n')}\n\nRunning containers are stopped first; their anonymous volumes are removed too.` }, 'Remove');
    return answer === 'Remove';
}
//# sourceMappingURL=containerCommands.js.map