"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.engineNodeId = engineNodeId;
exports.containerNodeId = containerNodeId;
exports.pathLabel = pathLabel;
exports.sortContainers = sortContainers;
exports.engineChildren = engineChildren;
exports.containerChildren = containerChildren;
exports.hasChildren = hasChildren;
exports.engineDescription = engineDescription;
exports.engineTooltipMarkdown = engineTooltipMarkdown;
exports.containerDescription = containerDescription;
exports.containerTooltipMarkdown = containerTooltipMarkdown;
const classify_1 = require("./classify");
const markdown_1 = require("./markdown");
function engineNodeId(engine) {
    return `engine:${engine.key}`;
}
function containerNodeId(container) {
    return `container:${container.engineKey}/${container.id}`;
}
function pathLabel(path) {
    return [path.rootEngine, ...path.containers].join(' › ');
}
/** Running first, then by name: what a user looks for first is what is running. */
function sortContainers(containers) {
    return [...containers].sort((a, b) => Number((0, classify_1.isRunning)(b.summary)) - Number((0, classify_1.isRunning)(a.summary)) || a.name.localeCompare(b.name));
}
function statusNotes(engine, ownerId) {
    if (engine.status.kind === 'disconnected') {
        return [{ kind: 'disconnected', id: `${ownerId}:disconnected`, text: 'Disconnected', detail: engine.status.reason }];
    }
    if (engine.status.kind === 'connecting') {
        return [{ kind: 'connecting', id: `${ownerId}:connecting`, text: 'Connecting…' }];
    }
    return engine.containers.length === 0 ? [{ kind: 'empty', id: `${ownerId}:empty`, text: 'No containers' }] : [];
}
function engineChildren(engine, path) {
    const notes = statusNotes(engine, engineNodeId(engine));
    if (engine.status.kind !== 'connected')
        return notes.map((note) => ({ kind: 'note', note }));
    return [
        ...sortContainers(engine.containers).map((container) => ({
            kind: 'container',
            container,
            path: { rootEngine: path.rootEngine, containers: [...path.containers, container.name] },
        })),
        ...notes.map((note) => ({ kind: 'note', note })),
    ];
}
/** Under a DinD/Sysbox container: its engine's containers (children); under DooD: a note on siblings. */
function containerChildren(container, path, engineName) {
    const children = container.inner ? engineChildren(container.inner, path) : [];
    if (container.classification.dood) {
        children.push({
            kind: 'note',
            note: {
                kind: 'dood',
                id: `${containerNodeId(container)}:dood`,
                text: `Shares ${engineName}: what it starts are siblings, listed beside it`,
                detail: `${container.name} talks to the engine that runs it, so \`docker ps\` inside shows the same containers as ${engineName}.`,
            },
        });
    }
    return children;
}
function hasChildren(container) {
    return container.inner !== undefined || container.classification.dood;
}
function engineDescription(engine) {
    const version = engine.version?.Version ? `Docker ${engine.version.Version}` : '';
    if (engine.status.kind === 'disconnected')
        return `disconnected · ${engine.endpoint}`;
    if (engine.status.kind === 'connecting')
        return `connecting · ${engine.endpoint}`;
    return [version, engine.endpoint].filter(Boolean).join(' · ');
}
function engineTooltipMarkdown(engine) {
    const lines = [
        `**Engine ${(0, markdown_1.escapeMarkdown)(engine.name)}**${engine.current ? ' (current context)' : ''}`,
        '',
        `- Endpoint: ${(0, markdown_1.escapeMarkdown)(engine.endpoint)}`,
    ];
    if (engine.version) {
        lines.push(`- Docker ${(0, markdown_1.escapeMarkdown)(engine.version.Version ?? '?')}, API ${(0, markdown_1.escapeMarkdown)(engine.version.ApiVersion ?? '?')}, ${(0, markdown_1.escapeMarkdown)(engine.version.Os ?? '')}/${(0, markdown_1.escapeMarkdown)(engine.version.Arch ?? '')}`);
    }
    if (engine.status.kind === 'disconnected') {
        lines.push(`- **Disconnected**: ${(0, markdown_1.escapeMarkdown)(engine.status.reason)}`);
        lines.push(engine.status.permanent ? '- Retrying will not help until the container changes.' : '- Reconnecting by itself; use Retry to try now.');
    }
    else {
        lines.push(`- ${engine.containers.length} containers, ${engine.containers.filter((c) => (0, classify_1.isRunning)(c.summary)).length} running`);
    }
    return lines.join('\n');
}
function containerDescription(container) {
    const image = container.summary.Image ?? container.inspect?.Config?.Image ?? '';
    return [image, container.summary.State ?? '', (0, classify_1.modeLabel)(container.classification)].filter(Boolean).join(' · ');
}
function formatPort(port) {
    const inside = `${port.PrivatePort ?? '?'}/${port.Type ?? 'tcp'}`;
    return port.PublicPort ? `${port.IP ?? ''}:${port.PublicPort} → ${inside}` : inside;
}
function containerTooltipMarkdown(container, path) {
    const c = container.classification;
    const summary = container.summary;
    const e = markdown_1.escapeMarkdown;
    const lines = [
        `**${e(container.name)}** — ${e((0, classify_1.modeLabel)(c))}`,
        '',
        `- Where: ${e(pathLabel(path))}`,
        `- Id: ${e(container.id.slice(0, 12))}`,
        `- Image: ${e(summary.Image ?? '')}`,
        `- State: ${e(summary.State ?? '')} (${e(summary.Status ?? '')})`,
        '',
        '**Why this mode**',
        '',
        ...c.evidence.map((line) => `- ${e(line)}`),
        '',
        '**What it means**',
        '',
        ...(0, classify_1.securityMeaning)(c).map((line) => `- ${e(line)}`),
    ];
    const ports = summary.Ports ?? [];
    if (ports.length)
        lines.push('', '**Ports**', '', ...ports.map((p) => `- ${e(formatPort(p))}`));
    const mounts = container.inspect?.Mounts ?? summary.Mounts ?? [];
    if (mounts.length) {
        lines.push('', '**Mounts**', '', ...mounts.map((m) => `- ${e(m.Type ?? '')} ${e(m.Name ?? m.Source ?? '')} → ${e(m.Destination ?? '')}${m.RW === false ? ' (read-only)' : ''}`));
    }
    return lines.join('\n');
}
//# sourceMappingURL=treeModel.js.map