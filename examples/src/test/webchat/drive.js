// Drives Web Chat in headless Chromium for WebChatBrowserTest (dev.beckon.examples.webchat).
// One JSON command per line on stdin, one JSON answer per line on stdout:
//   {"cmd":"open","url":...}   a new page; every request to a host other than 127.0.0.1 is
//                              aborted and recorded (see "external")
//   {"cmd":"send","text":...}  types into Web Chat's send box and presses Enter
//   {"cmd":"waitText","text":...,"timeoutMs":n}   until a transcript activity holds the text;
//                              answers how many do
//   {"cmd":"waitCard","text":...,"timeoutMs":n}   until an Adaptive Card holding the text renders
//   {"cmd":"count","text":...}  how many transcript activities hold the text
//   {"cmd":"screenshot","path":...}
//   {"cmd":"external"}         the external requests attempted so far
//   {"cmd":"quit"}
// Usage: node drive.js /usr/bin/chromium   (NODE_PATH holds playwright-core)
'use strict';
const { chromium } = require('playwright-core');
const readline = require('readline');

const ACTIVITY = '.webchat__basic-transcript__activity';

async function main() {
  const browser = await chromium.launch({
    executablePath: process.argv[2],
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run']
  });
  let context = null;
  let page = null;
  const external = [];
  const errors = [];
  const reply = o => process.stdout.write(JSON.stringify(o) + '\n');
  reply({ ok: true, ready: browser.version() });

  const count = text =>
    page.$$eval(ACTIVITY, (els, t) => els.filter(e => e.innerText.includes(t)).length, text);

  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    let c;
    try {
      c = JSON.parse(line);
      if (c.cmd === 'open') {
        if (context) await context.close();
        context = await browser.newContext({ viewport: { width: 720, height: 640 } });
        await context.route('**/*', route => {
          const u = new URL(route.request().url());
          if ((u.protocol === 'http:' || u.protocol === 'ws:') && u.hostname === '127.0.0.1') {
            return route.continue();
          }
          if (u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
          external.push(route.request().url());
          return route.abort('blockedbyclient');
        });
        page = await context.newPage();
        page.on('pageerror', e => errors.push(String(e)));
        page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
        await page.goto(c.url, { waitUntil: 'load' });
        await page.waitForSelector('[data-id="webchat-sendbox-input"]', { timeout: 15000 });
        reply({ ok: true });
      } else if (c.cmd === 'send') {
        const box = page.locator('[data-id="webchat-sendbox-input"]');
        await box.fill(c.text);
        await box.press('Enter');
        reply({ ok: true });
      } else if (c.cmd === 'waitText') {
        await page.waitForFunction(
          ([sel, t]) => Array.from(document.querySelectorAll(sel)).some(e => e.innerText.includes(t)),
          [ACTIVITY, c.text],
          { timeout: c.timeoutMs || 15000, polling: 100 });
        reply({ ok: true, count: await count(c.text) });
      } else if (c.cmd === 'waitCard') {
        await page.waitForFunction(
          t => Array.from(document.querySelectorAll('.ac-adaptiveCard')).some(e => e.innerText.includes(t)),
          c.text,
          { timeout: c.timeoutMs || 15000, polling: 100 });
        const cards = await page.$$eval('.ac-adaptiveCard', els => els.map(e => ({
          text: e.innerText, buttons: e.querySelectorAll('button').length })));
        reply({ ok: true, cards });
      } else if (c.cmd === 'count') {
        reply({ ok: true, count: await count(c.text) });
      } else if (c.cmd === 'screenshot') {
        await page.screenshot({ path: c.path });
        reply({ ok: true });
      } else if (c.cmd === 'external') {
        reply({ ok: true, external, errors });
      } else if (c.cmd === 'quit') {
        reply({ ok: true });
        break;
      } else {
        reply({ ok: false, error: 'unknown command ' + c.cmd });
      }
    } catch (e) {
      let transcript = '';
      try { transcript = page ? await page.$$eval(ACTIVITY, els => els.map(e => e.innerText).join(' | ')) : ''; } catch (_) {}
      reply({ ok: false, error: String(e && e.message || e).split('\n')[0], transcript, errors });
    }
  }
  rl.close();
  await browser.close();
  process.exit(0);
}

main().catch(e => { process.stdout.write(JSON.stringify({ ok: false, error: String(e) }) + '\n'); process.exit(1); });
