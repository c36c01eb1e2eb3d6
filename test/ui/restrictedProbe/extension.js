// Test-only extension (see restrictedMode.ui.test.mjs): runs the calls listed in
// $MATRYOSHKA_PROBE_DIR/calls.json one after another through vscode.commands.executeCommand and
// appends { command, outcome, message } for each to results.json, so the UI test can answer the
// dialogs a call opens and check how each one ended; then records what Matryoshka's activate()
// hands another extension.
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('matryoshkaProbe.run', async () => {
    const dir = process.env.MATRYOSHKA_PROBE_DIR;
    const calls = JSON.parse(fs.readFileSync(path.join(dir, 'calls.json'), 'utf8'));
    const results = { trusted: vscode.workspace.isTrusted, calls: [] };
    const save = () => {
      fs.writeFileSync(path.join(dir, 'results.tmp'), JSON.stringify(results, null, 2));
      fs.renameSync(path.join(dir, 'results.tmp'), path.join(dir, 'results.json'));
    };
    save();
    for (const [command, argument] of calls) {
      try {
        const value = await vscode.commands.executeCommand(command, argument);
        results.calls.push({ command, outcome: 'resolved', value: value === undefined ? null : value });
      } catch (error) {
        results.calls.push({ command, outcome: 'rejected', message: error instanceof Error ? error.message : String(error) });
      }
      save();
    }
    // What Matryoshka hands another extension (it is installed here, not run by its own tests).
    const exported = await vscode.extensions.getExtension('matryoshka-dev.matryoshka')?.activate();
    results.matryoshkaExports = exported === undefined ? null : Object.keys(exported).sort();
    results.done = true;
    save();
  }));
};

exports.deactivate = () => undefined;
