"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolveContainerArgument = resolveContainerArgument;
const targets_1 = require("../model/targets");
const containerNode_1 = require("../views/nodes/containerNode");
const commandErrors_1 = require("./commandErrors");
/**
 * Every command that acts on a container takes a tree node or `{ engine?, path }`. Both resolve
 * against the latest listing, so a node from an older render still finds its container.
 */
async function resolveContainerArgument(controller, argument) {
    const graphReady = controller.ready();
    const target = argument instanceof containerNode_1.ContainerNode ? argument.target : argument;
    if (!(0, targets_1.isContainerTarget)(target)) {
        throw new commandErrors_1.UserFacingError('Pick a container in the Matryoshka view, or pass { engine?: string, path: string[] } naming one.');
    }
    await graphReady;
    try {
        return (0, targets_1.resolveTarget)(controller.snapshot(), target);
    }
    catch (error) {
        if (error instanceof targets_1.TargetError)
            throw new commandErrors_1.UserFacingError(error.message);
        throw error;
    }
}
//# sourceMappingURL=containerArgument.js.map