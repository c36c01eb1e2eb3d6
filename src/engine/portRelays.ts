import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { runExec } from './containerExec';
import type { EngineApi } from './engineApi';
import { openExecStream } from './innerEngine';

/**
 * A program that carries one TCP connection over its stdin/stdout and, when its stdin ends, shuts
 * down only its sending side, so that the answer to a half-closed request still arrives.
 * `probe` runs harmlessly when the program is there (any exit code but "not found").
 */
export interface RelayTool {
  name: string;
  probe: string[];
  /** Which variant answered the probe (nc comes in several, and only some half-close). */
  accepts(probeOutput: string): boolean;
  connect(host: string, port: number): string[];
}

/**
 * Copies stdin to the socket and the socket to stdout; stdin's end shuts the socket's sending side
 * only. The script is a constant: host and port arrive as arguments, never inside the program.
 */
const PERL_RELAY = [
  'my ($h, $p) = @ARGV;',
  'my $s = IO::Socket::INET->new(PeerAddr => $h, PeerPort => $p, Proto => "tcp") or die "cannot connect to $h:$p: $!\\n";',
  'binmode STDIN; binmode STDOUT; binmode $s;',
  'my $sel = IO::Select->new(\\*STDIN, $s);',
  'sub put { my ($fh, $b) = @_; while (length $b) { my $w = syswrite($fh, $b); die "write failed: $!\\n" unless defined $w; substr($b, 0, $w) = "" } }',
  'while ($sel->count) { for my $fh ($sel->can_read) { my $n = sysread($fh, my $b, 65536);',
  '  if ($fh == $s) { exit 0 unless $n; put(\\*STDOUT, $b) } elsif ($n) { put($s, $b) } else { $sel->remove(\\*STDIN); shutdown($s, 1) } } }',
].join('\n');

/**
 * Tried in this order in whichever container a route runs in. busybox nc (Alpine, busybox images,
 * the official docker:dind) half-closes on its own; OpenBSD nc needs -N; socat waits for the other
 * direction only as long as -t says; perl is in every Debian-based image (including docker:dind
 * built on Debian) and in many others.
 */
export const RELAY_TOOLS: readonly RelayTool[] = [
  { name: 'nc', probe: ['nc', '-h'], accepts: (out) => /BusyBox|OpenBSD netcat|Ncat/i.test(out), connect: (h, p) => ['nc', h, String(p)] },
  { name: 'busybox nc', probe: ['busybox', 'nc', '--help'], accepts: (out) => /BusyBox/.test(out) && !/applet not found/.test(out), connect: (h, p) => ['busybox', 'nc', h, String(p)] },
  { name: 'socat', probe: ['socat', '-V'], accepts: (out) => /socat version/i.test(out), connect: (h, p) => ['socat', '-t', '86400', '-', `TCP:${h}:${p}`] },
  { name: 'perl', probe: ['perl', '-MIO::Socket::INET', '-MIO::Select', '-e', 'print "ok\\n"'], accepts: (out) => out.trim() === 'ok', connect: (h, p) => ['perl', '-MIO::Socket::INET', '-MIO::Select', '-e', PERL_RELAY, h, String(p)] },
];

/** OpenBSD nc keeps its sending side open after stdin ends unless told -N. */
function withVariant(tool: RelayTool, probeOutput: string): RelayTool {
  if (tool.name !== 'nc' || !/OpenBSD netcat/i.test(probeOutput)) return tool;
  return { ...tool, name: 'nc (OpenBSD)', connect: (h, p) => ['nc', '-N', h, String(p)] };
}

/**
 * The first relay tool present in a container, or undefined with what each probe said. A probe
 * is a short exec: this runs once per route choice, never per connection.
 */
export async function findRelayTool(api: EngineApi, containerId: string): Promise<{ tool?: RelayTool; tried: string[] }> {
  const tried: string[] = [];
  for (const tool of RELAY_TOOLS) {
    // An engine that does not answer fails the choice (it is made again later): taking the next
    // route instead would settle on a worse one for as long as the forward lasts.
    const result = await runExec(api, containerId, tool.probe);
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.exitCode !== 126 && result.exitCode !== 127 && !/executable file not found|no such file or directory/i.test(output) && tool.accepts(output)) {
      return { tool: withVariant(tool, output), tried };
    }
    tried.push(`${tool.name}: ${result.exitCode === 126 || result.exitCode === 127 ? 'not installed' : 'not a variant that half-closes'}`);
  }
  return { tried };
}

/**
 * How one connection reaches the container's port. `exec`: a relay tool runs in `containerId` on
 * the engine `api` and connects to host:port from there. `direct`: this machine connects itself
 * (a root engine on this machine, whose bridge addresses and published ports are local).
 */
export type Route =
  | { kind: 'exec'; description: string; api: EngineApi; containerId: string; tool: RelayTool; host: string; port: number }
  | { kind: 'direct'; description: string; host: string; port: number };

export interface OpenedRoute {
  stream: Duplex;
  /** Lets a relay opened ahead (gated) connect; nothing for one that connected at once. */
  release(): void;
  /** After the stream ended: why the relay failed (its exit code and stderr), or undefined when it ended cleanly. */
  failure(): Promise<string | undefined>;
}

/**
 * A relay started ahead of its connection waits behind a shell's `read` (which takes its line one
 * byte at a time and leaves the rest of stdin to the tool) and connects only once released.
 * The tool's arguments stay arguments ($0 "$@"), never part of the script.
 */
const GATE = ['sh', '-c', 'read -r _ && exec "$0" "$@"'];
const GATE_OPEN = '\n';

export async function openRoute(route: Route, label: string, gated = false): Promise<OpenedRoute> {
  if (route.kind === 'direct') {
    const socket = net.connect({ host: route.host, port: route.port, allowHalfOpen: true });
    let failed: string | undefined;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (error) => reject(new Error(`${route.host}:${route.port}: ${error.message}`)));
    });
    socket.on('error', (error) => (failed = error.message));
    return { stream: socket, release: () => undefined, failure: () => Promise.resolve(failed) };
  }
  const command = route.tool.connect(route.host, route.port);
  const { socket, execId } = await openExecStream(route.api, route.containerId, gated ? [...GATE, ...command] : command, label, false);
  return {
    stream: socket,
    release: () => {
      if (gated) socket.write(GATE_OPEN);
    },
    failure: async () => {
      try {
        for (let attempt = 0; attempt < 10; attempt++) {
          const state = await route.api.inspectExec(execId);
          if (!state.Running) {
            if (state.ExitCode === 0) return undefined;
            const said = socket.stderrText;
            return `${route.tool.name} exited with ${state.ExitCode ?? 'no code'}${said ? `: ${said}` : ''}`;
          }
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        return socket.stderrText || undefined;
      } catch (error) {
        return `the relay is gone: ${(error as Error).message}`;
      }
    },
  };
}
