// What the rooms' benchmarks (bench/rooms/*.mjs) share: the by-hand baseline, a timer, the load.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** `docker exec … <command>` through every level of `path`, as a person types it; resolves to the bytes it printed. */
export function byHand(execChain, path, command) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let errors = '';
    const child = spawn('docker', [...execChain(path), ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`docker exec … ${command.join(' ')}: exit ${code}: ${errors.trim()}`))));
  });
}

export async function timed(work) {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

export const loadAverage = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
