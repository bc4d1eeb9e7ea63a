// The website as a person on a phone sees it: Debian's chromium, headless, driven by
// playwright-core at a 390x844 viewport, against real bus and ingress-web processes.
//
//   node contact.test.mjs <dir with the bus and ingress-web executables> <artifacts dir>
//
// Screenshots of every page land in the artifacts dir; look at them.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../../support/ports.mjs';

const buildDir = process.argv[2] ?? process.env.SB_BUILD_DIR;
const artifacts = process.argv[3] ?? join(buildDir ?? '.', 'artifacts', 'web');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'web-browser-'));
const children = [];
let context;
let base;
let externalRequests = [];
// Every console error and uncaught page exception fails the test it happened in, except the ones
// a test declares it expects (expectConsoleError).
let consoleErrors = [];
let expectedConsoleErrors = [];

function expectConsoleError(text, url) {
  expectedConsoleErrors.push({ text, url });
}

function start(name, env) {
  const log = openSync(join(work, `${name}.log`), 'a');
  const child = spawn(join(buildDir, name), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  children.push(child);
  return child;
}

async function waitHealthy(port, what) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not become healthy; see ${work}/${what}.log`);
}

before(async () => {
  assert.ok(buildDir && existsSync(join(buildDir, 'ingress-web')),
    `no ingress-web in "${buildDir}": pass the build dir as the first argument`);
  assert.ok(existsSync(chromiumPath),
    `${chromiumPath} is missing: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });

  const pub = `tcp://127.0.0.1:${await freePort()}`;
  const sub = `tcp://127.0.0.1:${await freePort()}`;
  const busPort = await freePort();
  start('bus', { BUS_PUBLISH_ENDPOINT: pub, BUS_SUBSCRIBE_ENDPOINT: sub, BUS_PORT: `${busPort}`,
    DATA_DIR: join(work, 'bus') });
  await waitHealthy(busPort, 'bus');

  const webPort = await freePort();
  start('ingress-web', {
    BUS_PUBLISH_ENDPOINT: pub, BUS_SUBSCRIBE_ENDPOINT: sub, INGRESS_WEB_PORT: `${webPort}`,
    DATA_DIR: join(work, 'ingress'), COMPANY_NAME: 'Acme Outfitters',
    SANDBOX_COMPANY_NUMBER: '+12085550100', CUSTOMER_SERVICE_REDIRECT_DN: '+12085550199',
  });
  await waitHealthy(webPort, 'ingress-web');
  base = `http://127.0.0.1:${webPort}`;

  // A fresh profile every run: nothing cached, no cookies, no first-run state.
  context = await chromium.launchPersistentContext(mkdtempSync(join(work, 'profile-')), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  });
  context.on('request', (request) => {
    if (!request.url().startsWith(base)) externalRequests.push(request.url());
  });
  context.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push({ text: message.text(), url: message.location().url });
    }
  });
  context.on('weberror', (error) => {
    consoleErrors.push({ text: `uncaught: ${error.error().message}`, url: error.page()?.url() });
  });
});

afterEach(() => {
  const unexpected = consoleErrors.filter((error) => !expectedConsoleErrors.some(
    (expected) => expected.text === error.text && expected.url === error.url));
  consoleErrors = [];
  expectedConsoleErrors = [];
  assert.deepEqual(unexpected, [], 'the browser console showed errors');
});

after(async () => {
  await context?.close();
  for (const child of children.reverse()) child.kill('SIGTERM');
});

async function fitsThePhone(page, viewport = 390) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= viewport, `the page is ${width}px wide: it scrolls sideways on a phone`);
}

// Without a <link rel="icon"> Chromium asks for /favicon.ico on its own, and a 404 there is a
// console error on every page. With the link, the page itself loads the icon.
test('the site icon: every page links it and the browser loads it', async () => {
  const page = await context.newPage();
  const iconResponse = page.waitForResponse((r) => r.url() === `${base}/favicon.svg`);
  await page.goto(`${base}/`);
  const icon = await iconResponse;
  assert.equal(icon.status(), 200);
  assert.equal(icon.headers()['content-type'], 'image/svg+xml');
  assert.match(await icon.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // The problem pages are an expected 404 themselves, and still carry the icon.
  expectConsoleError('Failed to load resource: the server responded with a status of 404 (Not Found)',
    `${base}/no-such-page`);
  for (const path of ['/', '/contact/', '/contact/thanks/', '/no-such-page']) {
    await page.goto(`${base}${path}`);
    assert.equal(await page.locator('link[rel="icon"]').getAttribute('href'), '/favicon.svg',
      `${path} does not link the icon`);
  }
  await page.close();
});

test('home page: the company and the ways to reach it', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  assert.match(await page.title(), /Acme Outfitters/);
  assert.match(await page.locator('h1').innerText(), /Talk to a real person at Acme Outfitters/);
  assert.equal(await page.getByRole('link', { name: 'Text (208) 555-0100' }).getAttribute('href'),
    'sms:+12085550100');
  assert.equal(await page.getByRole('link', { name: 'Call (208) 555-0199' }).getAttribute('href'),
    'tel:+12085550199');
  await fitsThePhone(page);
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
  // Still no sideways scrolling on a small 360 px phone.
  await page.setViewportSize({ width: 360, height: 740 });
  await fitsThePhone(page, 360);
  await page.goto(`${base}/contact/`);
  await fitsThePhone(page, 360);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Open the contact form' }).click();
  await page.waitForURL(`${base}/contact/`);
  await page.close();
});

test('contact form: a good message ends on the confirmation page', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/contact/`);
  await fitsThePhone(page);
  await page.screenshot({ path: join(artifacts, 'contact.png'), fullPage: true });

  assert.equal(await page.getByLabel('Mobile number').getAttribute('type'), 'tel');
  assert.equal(await page.getByLabel('Email').getAttribute('type'), 'email');
  await page.getByLabel('Your name').fill('Ann Lee');
  await page.getByLabel('Mobile number').fill('(208) 555-0123');
  await page.getByLabel('Email').fill('ann@example.com');
  await page.getByLabel('Your message', { exact: true }).fill('Hi! Is the 40 L trail pack back in stock?');
  const button = page.getByRole('button', { name: 'Send message' });
  const box = await button.boundingBox();
  assert.ok(box.height >= 44, `the send button is ${box.height}px tall: too small to tap`);
  await page.screenshot({ path: join(artifacts, 'contact-filled.png'), fullPage: true });

  await button.click();
  await page.waitForURL(`${base}/contact/thanks/`);
  assert.match(await page.locator('main').innerText(),
    /We got your message and will text you shortly/);
  await fitsThePhone(page);
  await page.screenshot({ path: join(artifacts, 'thanks.png'), fullPage: true });

  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /ingress_submissions_accepted_total\{channel="web"\} 1/);
  await page.close();
});

test('contact form: a bad phone number is shown next to the field, the rest kept', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/contact/`);
  await page.getByLabel('Your name').fill('Bob <b>Builder</b>');
  await page.getByLabel('Mobile number').fill('12345');
  await page.getByLabel('Email').fill('bob@example.com');
  await page.getByLabel('Your message', { exact: true }).fill('Can you call me back?');
  // The refused form comes back as a 422, which Chromium reports in the console.
  expectConsoleError(
    'Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
    `${base}/contact/`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/contact/` && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Send message' }).click(),
  ]);
  assert.equal(response.status(), 422);
  await page.waitForLoadState();

  const summary = page.getByRole('alert');
  assert.match(await summary.innerText(), /There is a problem/);

  const phone = page.getByLabel('Mobile number');
  const error = page.locator('#phone-error');
  assert.match(await error.innerText(), /Enter a mobile number we can text/);
  assert.equal(await phone.getAttribute('aria-invalid'), 'true');
  assert.match(await phone.getAttribute('aria-describedby'), /\bphone-error\b/);
  // "Next to its field": the error sits directly above the input, within the same field.
  const errorBox = await error.boundingBox();
  const phoneBox = await phone.boundingBox();
  const gap = phoneBox.y - (errorBox.y + errorBox.height);
  assert.ok(gap >= 0 && gap < 24, `the error is ${gap}px away from the phone input`);

  assert.equal(await phone.inputValue(), '12345');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Bob <b>Builder</b>');
  assert.equal(await page.getByLabel('Email').inputValue(), 'bob@example.com');
  assert.equal(await page.getByLabel('Your message', { exact: true }).inputValue(), 'Can you call me back?');
  assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), null);
  await fitsThePhone(page);
  await page.screenshot({ path: join(artifacts, 'contact-error.png'), fullPage: true });

  // Fixing the number sends it, with the fresh token the error page carried.
  await phone.fill('+44 7911 123456');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.waitForURL(`${base}/contact/thanks/`);
  await page.close();
});

test('no page loaded anything from anywhere else', () => {
  assert.deepEqual(externalRequests, []);
});
