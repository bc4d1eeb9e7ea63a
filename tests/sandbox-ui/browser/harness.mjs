// What both browser tests share: the services as real child processes on free loopback ports,
// wired exactly as tests/support/stack.cpp (and scripts/run) wire them: the demo settings of
// deploy/env.demo with their addresses pointed at those ports; and Debian's chromium driven by
// playwright-core with a fresh profile.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { demoSettings } from '../../support/demo_settings.mjs';
import { freePort } from '../../support/ports.mjs';

const kDemo = demoSettings();
export const kCompanyNumber = kDemo.SANDBOX_COMPANY_NUMBER;
export const kRedirectNumber = kDemo.CUSTOMER_SERVICE_REDIRECT_DN;
const kPortVariables = {
  'bus': 'BUS_PORT',
  'sandbox': 'SANDBOX_PORT',
  'spark-gateway': 'SPARK_GATEWAY_PORT',
  'tropo-gateway': 'TROPO_GATEWAY_PORT',
  'router': 'ROUTER_PORT',
  'ingress-web': 'INGRESS_WEB_PORT',
};

export async function waitFor(condition, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class System {
  // `extraEnv`: settings on top of the demo's for every service (an undo test's SMS_UNDO_SECONDS).
  constructor(buildDir, extraEnv = {}) {
    this.buildDir = buildDir;
    this.extraEnv = extraEnv;
    this.work = mkdtempSync(join(tmpdir(), 'sandbox-ui-'));
    this.children = new Map();
    this.ports = {};
  }

  async allocate() {
    this.busPublish = await freePort();
    this.busSubscribe = await freePort();
    for (const service of Object.keys(kPortVariables)) this.ports[service] = await freePort();
  }

  env() {
    const sandbox = `http://127.0.0.1:${this.ports.sandbox}`;
    const env = {
      ...kDemo,
      DATA_DIR: join(this.work, 'data'),
      BUS_PUBLISH_ENDPOINT: `tcp://127.0.0.1:${this.busPublish}`,
      BUS_SUBSCRIBE_ENDPOINT: `tcp://127.0.0.1:${this.busSubscribe}`,
      SPARK_API_URL: `${sandbox}/v1`,
      TROPO_API_URL: `${sandbox}/1.0`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${this.ports['spark-gateway']}`,
      SANDBOX_TROPO_APP_URL: `http://127.0.0.1:${this.ports['tropo-gateway']}/api/tropo-webhook/`,
      // The story runs tropo-gateway: the page's phone must be Tropo's (SMS_CARRIER=twilio
      // when the environment says so).
      SMS_CARRIER: process.env.SMS_CARRIER ?? 'tropo',
      // Undo send off, as in tests/support's stacks: replies leave at once (undo tests set it).
      SMS_UNDO_SECONDS: '0',
      ...this.extraEnv,
    };
    for (const [service, variable] of Object.entries(kPortVariables)) {
      env[variable] = String(this.ports[service]);
    }
    return env;
  }

  executable(service) {
    return join(this.buildDir, service);
  }

  async start(service) {
    const path = this.executable(service);
    assert.ok(existsSync(path), `${path} is missing: build the "${service}" target first`);
    const log = openSync(join(this.work, `${service}.log`), 'a');
    const child = spawn(path, [], {
      env: { ...process.env, ...this.env() },
      stdio: ['ignore', log, log],
    });
    this.children.set(service, child);
    const port = this.ports[service];
    try {
      await waitFor(async () => {
        if (child.exitCode !== null) {
          throw new Error(`${service} exited with ${child.exitCode}:\n${this.log(service)}`);
        }
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
        } catch {
          return false;  // not listening yet
        }
      }, `${service} to become healthy`, 30000);
    } catch (failure) {
      throw new Error(`${failure.message}\n--- ${service}.log ---\n${this.log(service)}`);
    }
  }

  log(service) {
    try {
      const text = readFileSync(join(this.work, `${service}.log`), 'utf8');
      return text.length > 6000 ? text.slice(-6000) : text;
    } catch {
      return '';
    }
  }

  url(service, path = '/') {
    return `http://127.0.0.1:${this.ports[service]}${path}`;
  }

  async stopAll() {
    const children = [...this.children.values()].reverse();
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
  }
}

// A fresh chromium profile every run: nothing cached, no cookies, no first-run state.
export async function launch(work, options) {
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`);
  return chromium.launchPersistentContext(mkdtempSync(join(work, 'profile-')), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    deviceScaleFactor: 1,
    ...options,
  });
}

// Collects what would embarrass a demo: console errors, uncaught exceptions, failed requests,
// and any request that leaves the sandbox's origin.
export function watch(context, origin) {
  const problems = { console: [], errors: [], failed: [], external: [] };
  context.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
      problems.external.push(request.url());
    }
  });
  context.on('requestfailed', (request) => {
    // A poll cut short by closing its page is no failure.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.failed.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  const onPage = (page) => {
    page.on('console', (message) => {
      // Only the sandbox's page is judged here (the story also visits the website).
      if (message.type() === 'error' && page.url().startsWith(origin)) {
        problems.console.push(`${message.text()} (${message.location()?.url ?? page.url()})`);
      }
    });
    page.on('pageerror', (error) => problems.errors.push(`${error} (${page.url()})`));
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  return problems;
}

export async function fitsWidth(page) {
  const { scroll, viewport } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  assert.ok(scroll <= viewport, `the page is ${scroll}px wide in a ${viewport}px window`);
}
