import type { HealthReportModel } from './healthReport';

/**
 * Every message between the health report webview and the extension. The webview names an action
 * only by its place in the report the extension sent; the extension acts on its own copy.
 */
export type ToHealthWebview =
  | { type: 'report'; report: HealthReportModel; notice?: string }
  | { type: 'notice'; text: string };

export type FromHealthWebview =
  | { type: 'ready' }
  | { type: 'runAgain' }
  | { type: 'action'; item: number; action: number };

const index = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000;

export function parseFromHealthWebview(value: unknown): FromHealthWebview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'runAgain':
      return { type: message.type };
    case 'action':
      return index(message.item) && index(message.action) ? { type: 'action', item: message.item, action: message.action } : undefined;
    default:
      return undefined;
  }
}
