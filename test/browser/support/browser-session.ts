import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../../app/create-app';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { TEST_PASSWORD } from '../../support/factories';
const { findChromium } = require('./browser-availability') as { findChromium: () => string | undefined };

/** `npm run screenshots` refreshes the README's pictures; other runs write them to a temp folder. */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../../docs/screenshots') : path.join(os.tmpdir(), 'tenantry-screenshots');

/** A real server on a loopback port, and headless Chromium driving it. */
export interface BrowserSession {
  t: TestPlatform;
  baseUrl: string;
  browser: Browser;
  /** A page in a fresh browser context; `viewport` defaults to a laptop screen. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  signIn(page: Page, email: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  const t = await createTestPlatform();
  const { app } = createApp(t.platform);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  return {
    t,
    baseUrl,
    browser,
    async newPage(viewport = { width: 1100, height: 720 }) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport });
      return context.newPage();
    },
    async signIn(page, email) {
      await page.goto('/login');
      await page.fill('#email', email);
      await page.fill('#password', TEST_PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('main button[type=submit]')]);
    },
    async screenshot(page, name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await t.cleanup();
    },
  };
}
