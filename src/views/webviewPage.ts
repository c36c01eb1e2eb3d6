import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The page of one of Matryoshka's webviews: CSP `default-src 'none'`, its script and style by a
 * fresh nonce from crypto, and a placeholder read out until the script has rendered.
 * `name` names both dist/webview/<name>.js and media/<name>.css.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: { name: string; title: string; placeholder: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page.name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${page.name}.css`));
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>${page.title}</title></head>
<body><main id="root" aria-live="polite"><p>${page.placeholder}</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
}

/** What a page from webviewPage may load: scripts from dist/webview, styles from media, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}
