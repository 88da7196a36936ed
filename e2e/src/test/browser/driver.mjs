// A real headless Chromium driven by playwright-core, one JSON command per stdin line, one JSON answer per stdout
// line: the e2e tests (Browser.java) keep their logic in JUnit and use this only to act on and read real pages.
// Commands: {op: "goto", url} | {op: "waitFor", selector, text?, timeoutMs} | {op: "text", selector}
//   | {op: "count", selector} | {op: "click", selector} | {op: "screenshot", path} | {op: "offline", value}
//   | {op: "eval", expression} | {op: "close"}.  Answers: {ok: true, value?} or {ok: false, error}.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

// playwright-core is installed with the project's tools (deploy/prerequisites.sh), not next to this file.
const require = createRequire(path.join(process.env.GITCRQ_TOOLS_DIR, 'node_modules', 'noop.js'));
const { chromium } = require('playwright-core');

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitcrq-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.GITCRQ_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // no sandbox as root; no background traffic, which a closed network refuses many times at every start
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
  httpCredentials: process.env.GITCRQ_BROWSER_USER
    ? { username: process.env.GITCRQ_BROWSER_USER, password: process.env.GITCRQ_BROWSER_PASSWORD ?? '' }
    : undefined,
  viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] ?? await context.newPage();
const consoleLines = [];
page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));

async function run(cmd) {
  switch (cmd.op) {
    case 'goto': {
      const response = await page.goto(cmd.url, { waitUntil: 'domcontentloaded' });
      return response ? response.status() : null;
    }
    case 'waitFor': {
      const locator = cmd.text === undefined
        ? page.locator(cmd.selector)
        : page.locator(cmd.selector, { hasText: cmd.text });
      await locator.first().waitFor({ state: 'attached', timeout: cmd.timeoutMs });
      return true;
    }
    case 'text': return await page.locator(cmd.selector).first().textContent();
    case 'texts': return await page.locator(cmd.selector).allTextContents();
    case 'count': return await page.locator(cmd.selector).count();
    case 'click': await page.locator(cmd.selector).first().click(); return true;
    case 'screenshot':
      fs.mkdirSync(path.dirname(cmd.path), { recursive: true });
      await page.screenshot({ path: cmd.path, fullPage: true });
      return cmd.path;
    case 'offline': await context.setOffline(Boolean(cmd.value)); return true;
    case 'eval': return await page.evaluate(cmd.expression);
    case 'console': return consoleLines.splice(0);
    case 'close': return true;
    default: throw new Error(`unknown op ${cmd.op}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let cmd;
  let answer;
  try {
    cmd = JSON.parse(line);
    answer = { ok: true, value: (await run(cmd)) ?? null };
  } catch (e) {
    answer = { ok: false, error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
  if (cmd && cmd.op === 'close') break;
}
await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
