// The node side of demo_settings.h: the demo settings read at run time from deploy/env.demo, the
// one file that also seeds scripts/run and the compose demo. Plain KEY=value lines (no quotes,
// no expansion), read the way Environment::parse_dotenv reads them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const demoSettingsPath = process.env.SWITCHBOARD_DEMO_ENV
  ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'env.demo');

// Every variable of the file, as an object.
export function demoSettings() {
  const settings = {};
  for (const raw of readFileSync(demoSettingsPath, 'utf8').split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals < 0) continue;
    settings[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return settings;
}
