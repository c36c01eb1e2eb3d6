// Bundles the extension with esbuild: dockerode and its dependencies inside dist/extension.js.
// ssh2's optional native parts (cpu-features, sshcrypto.node) stay out: ssh2 loads them in a
// try/catch and falls back to pure JavaScript, so the bundle loads with nothing else installed.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// dockerode's BuildKit session (grpc + protobufjs, about 4 MB) serves only buildImage with
// BuildKit, which Matryoshka never calls; and its .proto files could not load from a bundle anyway.
const withoutBuildKit = {
  name: 'without-buildkit',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/dockerode/`) ? { path: args.path, namespace: 'no-buildkit' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-buildkit' }, () => ({
      contents: 'module.exports = function () { throw new Error("BuildKit is not part of the Matryoshka bundle"); };',
      loader: 'js',
    }));
  },
};

const options = {
  plugins: [withoutBuildKit],
  entryPoints: ['src/extension.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/extension.js',
  external: ['vscode', 'cpu-features', '*.node'],
  sourcemap: production ? false : 'linked',
  minify: production,
  metafile: true,
  logLevel: 'warning',
};

// The webviews' scripts (compare, health report): run in a browser, with @vscode-elements inside.
const webview = {
  entryPoints: ['src/webview/compare.ts', 'src/webview/health.ts'],
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  outdir: 'dist/webview',
  sourcemap: production ? false : 'linked',
  minify: production,
  metafile: true,
  logLevel: 'warning',
};

if (watch) {
  for (const build of [options, webview]) await (await esbuild.context(build)).watch();
  console.log('esbuild: watching src/');
} else {
  for (const build of [options, webview]) {
    const result = await esbuild.build(build);
    const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'));
    console.log(`esbuild: ${output[0]} ${(output[1].bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`);
  }
}
