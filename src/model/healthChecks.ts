import { compareVersionStrings } from './healthVersion';
import { logLines } from './healthStorage';
import { followsInLine } from './linearText';
import type { HealthInput, HealthResult } from './healthTypes';

const IPTABLES_FAILURE = {
  test: (line: string) =>
    followsInLine(line, 'iptables', ['not found', 'failed', 'no such file', 'permission denied', "can't initialize"]) || /failed to create NAT chain|Failed to Setup IP tables/i.test(line),
};
const IDENTITY_UID_MAP = /^\s*0\s+0\s+4294967295\s*$/;

function hostsEngine(input: HealthInput): boolean {
  const mode = input.container?.mode;
  return mode === 'dind' || mode === 'sysbox';
}

/** `eth0 1400` lines, as the NET_MTU exec prints them. */
export function parseMtus(text: string | undefined): Map<string, number> {
  const mtus = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const match = /^(\S+)\s+(\d+)$/.exec(line.trim());
    if (match) mtus.set(match[1], Number(match[2]));
  }
  return mtus;
}

/** Whether the checked engine answered at all; when not, everything else about it is unknown. */
export function checkEngineAnswers(input: HealthInput): HealthResult | undefined {
  const inner = input.inner;
  if (!inner) return undefined;
  if (inner.error) {
    const fatal = logLines(input.container?.daemonLog, /failed to start daemon|level=fatal/);
    return {
      check: 'engine',
      status: 'error',
      detail: `${inner.label} did not answer: ${inner.error}${fatal.length ? `. Its log ends with "${fatal[fatal.length - 1]}"` : ''}.`,
      fix: input.container ? `Read the container's logs (Matryoshka: Follow Logs on ${input.container.name}) and restart it once the cause is fixed.` : 'Start the engine, or check the endpoint in matryoshka.engines.',
    };
  }
  const version = inner.version?.Version ?? inner.info?.ServerVersion ?? '?';
  return { check: 'engine', status: 'ok', detail: `${inner.label} answers: Docker ${version}, API ${inner.version?.ApiVersion ?? '?'}.` };
}

/** An inner bridge larger than the outer interface drops large packets: TLS handshakes stall, small requests work. */
export function checkMtu(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (!container || !hostsEngine(input) || !input.inner?.info) return undefined;
  const mtus = parseMtus(container.netMtu);
  const outer = mtus.get('eth0');
  const bridgeOption = input.inner.bridge?.Options?.['com.docker.network.driver.mtu'];
  const bridgeName = input.inner.bridge?.Options?.['com.docker.network.bridge.name'] ?? 'docker0';
  const inner = bridgeOption ? Number(bridgeOption) : mtus.get(bridgeName);
  if (outer === undefined || inner === undefined || Number.isNaN(inner)) {
    return {
      check: 'mtu',
      status: 'warn',
      detail: `Could not compare MTUs in ${container.name}: ${outer === undefined ? 'no eth0 in /sys/class/net' : `no MTU for the inner bridge ${bridgeName}`}.`,
    };
  }
  const saw = `${container.name}'s eth0 has MTU ${outer}; the inner engine's bridge ${bridgeName} has MTU ${inner}`;
  if (inner > outer) {
    return {
      check: 'mtu',
      status: 'warn',
      detail: `${saw}. Packets from inner containers larger than ${outer} bytes are dropped on the way out: small requests work, but TLS handshakes and large downloads stall (apt, pip, docker pull hang).`,
      fix: `Start the inner dockerd with --mtu=${outer} (or "mtu": ${outer} in its daemon.json) so its bridge is no larger than eth0.`,
    };
  }
  return { check: 'mtu', status: 'ok', detail: `${saw}: nothing larger than the outer interface leaves the inner bridge.` };
}

/** cgroup v2 nesting needs a private cgroup namespace; the probe shows whether containers really start. */
export function checkCgroups(input: HealthInput): HealthResult | undefined {
  const info = input.inner?.info;
  if (!info) return undefined;
  const version = info.CgroupVersion ?? '?';
  const saw = `${input.inner?.label} uses cgroup v${version} with the ${info.CgroupDriver ?? '?'} driver`;
  const cgroupns = input.container?.inspect.HostConfig?.CgroupnsMode;
  if (version === '2' && hostsEngine(input) && cgroupns === 'host') {
    return {
      check: 'cgroups',
      status: 'warn',
      detail: `${saw}, but ${input.container?.name} shares the host's cgroup namespace (CgroupnsMode host): the inner engine cannot create its own cgroup subtree cleanly and containers inside may fail to start.`,
      fix: 'Run the container with --cgroupns=private.',
    };
  }
  return { check: 'cgroups', status: 'ok', detail: `${saw}${cgroupns ? ` (cgroup namespace: ${cgroupns})` : ''}.` };
}

export function checkProbe(input: HealthInput): HealthResult | undefined {
  const probe = input.probe;
  const who = input.inner?.label ?? input.subject;
  if (!probe) return undefined;
  if (probe.kind === 'no-image') {
    return {
      check: 'probe container',
      status: 'warn',
      detail: `${who} has no image to start a probe container with (busybox, alpine or docker): whether it can create containers is unknown. Inner engines cannot pull when the outer network cannot reach a registry.`,
      fix: 'Copy an image into it: "Copy into Inner Engine…" on an image of the outer engine, or docker save busybox:latest | docker exec -i CONTAINER docker load.',
    };
  }
  if (probe.kind === 'failed') {
    return {
      check: 'probe container',
      status: 'error',
      detail: `${who} could not ${probe.stage} a probe container from ${probe.image}: ${probe.message}. Containers inside it will fail the same way.`,
      fix: 'Read the message above: cgroup and permission errors mean the container needs --privileged or the Sysbox runtime (and --cgroupns=private on cgroup v2).',
    };
  }
  if (probe.exitCode !== 0) {
    return {
      check: 'probe container',
      status: 'error',
      detail: `${who} ran a probe container from ${probe.image} (\`true\`), which exited with ${probe.exitCode} instead of 0.`,
      fix: "Run a container there by hand and read its logs: the engine starts containers that cannot run their command.",
    };
  }
  return { check: 'probe container', status: 'ok', detail: `${who} created, started and removed a probe container from ${probe.image}; it exited with 0.` };
}

/** What the container is allowed to do to the host, and whether that is what its engine needs. */
export function checkPrivileges(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (!container || !hostsEngine(input)) return undefined;
  const host = container.inspect.HostConfig ?? {};
  const caps = host.CapAdd ?? [];
  const runtime = host.Runtime ?? '?';
  if (container.mode === 'sysbox') {
    return {
      check: 'privileges',
      status: host.Privileged ? 'warn' : 'ok',
      detail: host.Privileged
        ? `${container.name} runs with runtime ${runtime} and also --privileged: the flag gives back the host access Sysbox takes away.`
        : `${container.name} runs with runtime ${runtime}, not privileged${caps.length ? `, with added capabilities ${caps.join(', ')}` : ''}: its engine needs no host privileges.`,
      fix: host.Privileged ? 'Drop --privileged: Sysbox does not need it.' : undefined,
    };
  }
  if (host.Privileged) {
    return {
      check: 'privileges',
      status: 'warn',
      detail: `${container.name} runs --privileged (runtime ${runtime}): root in it is root on the host, with every device and capability. DinD needs this without Sysbox, but anything that runs in it can take over the host.`,
      fix: 'Use the Sysbox runtime (docker run --runtime=sysbox-runc …) to run an inner engine without --privileged.',
    };
  }
  const answers = !input.inner?.error && input.inner?.info !== undefined;
  return {
    check: 'privileges',
    status: answers ? 'ok' : 'error',
    detail: answers
      ? `${container.name} is not privileged (capabilities added: ${caps.join(', ') || 'none'}) and its engine answers.`
      : `${container.name} is not privileged and does not use a Sysbox runtime (capabilities added: ${caps.join(', ') || 'none'}): dockerd cannot mount, set up networks or create cgroups there.`,
    fix: answers ? undefined : 'Run it with --runtime=sysbox-runc (preferred) or --privileged.',
  };
}

/** Whether root inside is root outside, from /proc/self/uid_map read in the container. */
export function checkUserNamespace(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (container?.uidMap === undefined) {
    const options = input.inner?.info?.SecurityOptions ?? [];
    if (container || !input.inner?.info) return undefined;
    const remapped = options.some((o) => o.includes('name=userns'));
    return {
      check: 'user namespace',
      status: 'ok',
      detail: `${input.inner.label} ${remapped ? 'remaps container users (userns-remap): root in its containers is an unprivileged user on the host' : 'does not remap users: root in its containers is root on the host'} (security options: ${options.join(', ') || 'none'}).`,
    };
  }
  const map = container.uidMap.trim().split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).join('; ');
  const identity = IDENTITY_UID_MAP.test(container.uidMap.trim());
  if (container.mode === 'sysbox' && identity) {
    return {
      check: 'user namespace',
      status: 'warn',
      detail: `${container.name} runs with runtime ${container.inspect.HostConfig?.Runtime ?? '?'}, yet its uid_map is "${map}": uid 0 inside is uid 0 on the host. Real Sysbox maps root to an unprivileged range, so this runtime is not isolating as Sysbox does.`,
      fix: 'Check that the runtime is Sysbox (sysbox-runc --version on the host) and that sysbox-mgr is running.',
    };
  }
  return {
    check: 'user namespace',
    status: 'ok',
    detail: identity
      ? `${container.name} has no user namespace (uid_map "${map}"): uid 0 inside is uid 0 on the host.`
      : `${container.name} maps its users (uid_map "${map}"): root inside is not root on the host.`,
  };
}

/** An inner engine older than the outer one refuses clients made for the outer's API. */
export function checkApiVersion(input: HealthInput): HealthResult | undefined {
  const inner = input.inner?.version;
  const outer = input.outer?.version;
  if (!inner?.ApiVersion || !outer?.ApiVersion || !hostsEngine(input)) return undefined;
  const saw = `${input.inner?.label} speaks API ${inner.ApiVersion} (Docker ${inner.Version ?? '?'}); ${input.outer?.label} speaks API ${outer.ApiVersion} (Docker ${outer.Version ?? '?'})`;
  const order = compareVersionStrings(inner.ApiVersion, outer.ApiVersion);
  if (order < 0) {
    return {
      check: 'api version',
      status: 'warn',
      detail: `${saw}. The inner engine is older: a Docker CLI or SDK pinned to the outer version (DOCKER_API_VERSION=${outer.ApiVersion}) is refused inside with "client version is too new", and newer build and run options are missing.`,
      fix: `Use a docker:dind image at least as new as the outer engine (Docker ${outer.Version ?? outer.ApiVersion}).`,
    };
  }
  return { check: 'api version', status: 'ok', detail: `${saw}: ${order === 0 ? 'the same' : 'the inner engine is newer'}, so clients made for the outer engine work inside.` };
}

/** The engine's own warnings (`docker info`) and networking failures in its log. */
export function checkEngineWarnings(input: HealthInput): HealthResult | undefined {
  const info = input.inner?.info;
  const iptables = logLines(input.container?.daemonLog, IPTABLES_FAILURE);
  if (iptables.length) {
    return {
      check: 'networking',
      status: 'error',
      detail: `${input.inner?.label ?? input.subject} could not set up iptables: its log says "${iptables.join('"; "')}". Containers inside get no network or no published ports.`,
      fix: 'Install iptables in the image (or switch between iptables-legacy and iptables-nft to match the host) and restart the container.',
    };
  }
  if (!info) return undefined;
  const warnings = info.Warnings ?? [];
  if (warnings.length) {
    return {
      check: 'networking',
      status: 'warn',
      detail: `${input.inner?.label} reports: ${warnings.map((w) => w.replace(/^WARNING:\s*/, '')).join('; ')}.`,
      fix: 'Each warning names the kernel or daemon setting to change on the machine that runs this engine.',
    };
  }
  return { check: 'networking', status: 'ok', detail: `${input.inner?.label} reports no warnings${input.container?.daemonLog !== undefined ? ' and its log shows no iptables failure' : ''}.` };
}
