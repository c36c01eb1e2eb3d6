"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.innerEngineKey = innerEngineKey;
exports.containerName = containerName;
function innerEngineKey(engineKey, containerId) {
    return `${engineKey}/${containerId}`;
}
/** Docker names carry a leading slash; a container without one shows its short id. */
function containerName(summary) {
    const name = summary.Names?.[0];
    return name ? name.replace(/^\//, '') : summary.Id.slice(0, 12);
}
//# sourceMappingURL=snapshot.js.map