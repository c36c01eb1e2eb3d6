import { docker, dockerIn, loadImageInto, waitFor } from './docker';
import { OWN_LABEL, ownName } from './runId';

/**
 * Containers made to fail the health checks (and one healthy DinD with a DinD inside), all with
 * HEALTH_LABEL and the it8- prefix, ending in this process's id (OWN_LABEL); removeHealthFixture
 * removes them, their volume and network, and nobody else's.
 */
export const HEALTH_LABEL = 'dev.matryoshka.test=health';
export const HEALTH = {
  vfs: ownName('it8-vfs'),
  mtu: ownName('it8-mtu'),
  dood: ownName('it8-dood'),
  healthy: ownName('it8-healthy'),
  overlayFail: ownName('it8-ovlfail'),
  noIptables: ownName('it8-noipt'),
  nested: ownName('it8-nested'),
  network: ownName('it8-net'),
  volume: ownName('it8-data'),
};

const NO_IPTABLES = 'for f in $(command -v iptables iptables-legacy iptables-nft ip6tables xtables-legacy-multi xtables-nft-multi); do rm -f "$f"; done; exec dockerd-entrypoint.sh';

async function waitForEngine(path: string[]): Promise<void> {
  await waitFor(`the engine inside ${path.join(' › ')}`, 180_000, async () => (await dockerIn(path, ['version', '--format', '{{.Server.Version}}'])) || undefined, 500);
}

export async function createHealthFixture(options: { nested: boolean }): Promise<void> {
  await removeHealthFixture();
  const label = ['--label', HEALTH_LABEL, '--label', OWN_LABEL];
  await docker(['network', 'create', ...label, '-o', 'com.docker.network.driver.mtu=1400', HEALTH.network]);
  await docker(['volume', 'create', ...label, HEALTH.volume]);
  await Promise.all([
    docker(['run', '-d', '--name', HEALTH.vfs, ...label, '--privileged', 'docker:dind', '--storage-driver', 'vfs']),
    docker(['run', '-d', '--name', HEALTH.mtu, ...label, '--privileged', '--network', HEALTH.network, 'docker:dind']),
    docker(['run', '-d', '--name', HEALTH.healthy, ...label, '--privileged', '-v', `${HEALTH.volume}:/var/lib/docker`, 'docker:dind']),
    // dockerd with its data root on the container's own overlay filesystem and overlay2 forced: it exits.
    docker(['run', '-d', '--name', HEALTH.overlayFail, ...label, '--privileged', '--entrypoint', 'dockerd', 'docker:dind', '--storage-driver', 'overlay2', '--data-root', '/ovl-data']),
    // The iptables binaries deleted before the entrypoint: dockerd cannot create its NAT chain and exits.
    docker(['run', '-d', '--name', HEALTH.noIptables, ...label, '--privileged', '--entrypoint', 'sh', 'docker:dind', '-c', NO_IPTABLES]),
    docker(['run', '-d', '--name', HEALTH.dood, ...label, '--user', '1000:1000', '-v', '/var/run/docker.sock:/var/run/docker.sock', 'docker:cli', 'sleep', '86400']),
  ]);
  await Promise.all([waitForEngine([HEALTH.vfs]), waitForEngine([HEALTH.mtu]), waitForEngine([HEALTH.healthy])]);
  await loadImageInto('busybox:latest', [HEALTH.healthy]);
  await docker(['wait', HEALTH.overlayFail]);
  await docker(['wait', HEALTH.noIptables]);
  if (options.nested) {
    await loadImageInto('docker:dind', [HEALTH.healthy]);
    await dockerIn([HEALTH.healthy], ['run', '-d', '--name', HEALTH.nested, ...label, '--privileged', 'docker:dind', '--storage-driver', 'vfs']);
    await waitForEngine([HEALTH.healthy, HEALTH.nested]);
  }
}

export async function removeHealthFixture(): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${HEALTH_LABEL}`, '--filter', `label=${OWN_LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', `label=${HEALTH_LABEL}`, '--filter', `label=${OWN_LABEL}`])).split('\n').filter(Boolean);
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
  const networks = (await docker(['network', 'ls', '-q', '--filter', `label=${HEALTH_LABEL}`, '--filter', `label=${OWN_LABEL}`])).split('\n').filter(Boolean);
  if (networks.length) await docker(['network', 'rm', ...networks]);
}
