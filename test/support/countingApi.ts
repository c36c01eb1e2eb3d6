import type { DialOptions, EngineApi } from '../../src/engine/engineApi';

/**
 * The same engine API, with every request it makes written down ("PUT /containers/<id>/archive")
 * and, optionally, changed on its way out (a transfer cut short). Every typed call goes through
 * `call`, so the count is the number of round trips to the engine.
 */
export function countingApi(api: EngineApi, change: (dial: DialOptions) => DialOptions = (dial) => dial): { api: EngineApi; calls: string[] } {
  const calls: string[] = [];
  const counted = Object.create(api) as EngineApi & { call: EngineApi['call'] };
  counted.call = ((dial: DialOptions, versioned?: boolean) => {
    calls.push(`${dial.method} ${dial.path.replace(/\?$/, '').replace(/[0-9a-f]{64}/g, '<id>')}`);
    return api.call(change(dial), versioned);
  }) as EngineApi['call'];
  return { api: counted, calls };
}
