import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace } from "../support/workspace.js";
import { DASHBOARD_WORKSPACE } from "./dashboard-workspace.js";

/** Debian's chromium (installed by .ci/run when absent), or the one CHROMIUM_PATH names. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const WAIT = 20_000;

let root: string;
let cleanup: () => void;
let url: string;
let base: string;
let shots: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** A screenshot of the whole page under the test's temp dir (NERVE_TEST_ARTIFACTS to keep them). */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function cli(...args: string[]): Promise<string> {
  const run = await nerve([...args, "--root", root]);
  if (run.code !== 0) throw new Error(`nerve ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

/** Waits for `locator`'s text to contain `text`. */
async function expectText(locator: Locator, text: string): Promise<void> {
  await expect
    .poll(async () => (await locator.textContent()) ?? "", { timeout: WAIT })
    .toContain(text);
}

async function open(hash: string): Promise<void> {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector(`#conn[data-state="live"]`, { timeout: WAIT });
}

describe.skipIf(!existsSync(CHROMIUM))(
  "the dashboard in a real browser",
  () => {
    beforeAll(async () => {
      ({ root, cleanup } = makeWorkspace(DASHBOARD_WORKSPACE));
      shots = process.env.NERVE_TEST_ARTIFACTS ?? join(root, "screenshots");
      mkdirSync(shots, { recursive: true });
      await startDaemon(root);
      url = (JSON.parse(await cli("dashboard", "--json", "--no-open")) as { url: string }).url;
      base = url.slice(0, url.indexOf("?"));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await stopDaemon(root);
      if (!process.env.NERVE_TEST_ARTIFACTS) cleanup();
    });

    it("refuses every request without the token, and says nothing more", async () => {
      for (const attempt of [
        fetch(`${base}api/overview`),
        fetch(`${base}`),
        fetch(`${base}api/overview?token=not-the-token`),
        fetch(`${base}api/events`, { headers: { authorization: "Bearer not-the-token" } }),
        fetch(`${base}api/senses/manual/trigger`, { method: "POST" }),
      ]) {
        const response = await attempt;
        expect(response.status).toBe(401);
        expect(await response.text()).toBe("unauthorized\n");
        expect(response.headers.get("set-cookie")).toBeNull();
        expect(response.headers.get("x-powered-by")).toBeNull();
      }
    });

    it("takes the token from the address once, then keeps an HttpOnly, SameSite=Strict cookie", async () => {
      await page.goto(url);
      expect(page.url()).toBe(`${base}`);
      const cookies = await context.cookies();
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: "Strict" });
      // A POST with the cookie but without the page's CSRF token is refused.
      const forged = await page.evaluate(async () => {
        const response = await fetch("/api/senses/manual/trigger", { method: "POST" });
        return response.status;
      });
      expect(forged).toBe(403);
    });

    it("shows the daemon's sense groups and workflows on the overview, with live charts", async () => {
      await open("#/overview");
      const health = JSON.parse(await cli("status", "--json")) as {
        groups: { name: string }[];
        workflows: { name: string }[];
      };
      const groups = page.locator('tbody[data-testid="groups"] tr[data-group]');
      await expect.poll(() => groups.count(), { timeout: WAIT }).toBe(health.groups.length);
      expect(
        (await groups.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-group")))).sort(),
      ).toEqual(health.groups.map((g) => g.name).sort());
      await expectText(
        page.locator('tbody[data-testid="groups"] tr[data-group="fast"]'),
        "pulse, flaky",
      );
      const workflows = page.locator('tbody[data-testid="workflows"] tr[data-workflow]');
      expect(
        (
          await workflows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-workflow")))
        ).sort(),
      ).toEqual(health.workflows.map((w) => w.name).sort());
      // A few seconds of rates, so the charts have lines to draw.
      await expect
        .poll(() => page.locator(".card .value").nth(1).textContent(), { timeout: WAIT })
        .not.toBe("–");
      await page.waitForTimeout(4_000);
      await shot("overview");
      await page.emulateMedia({ colorScheme: "dark" });
      await open("#/overview");
      await page.waitForTimeout(4_000);
      await shot("overview-dark");
      await page.emulateMedia({ colorScheme: "light" });
    });

    it("shows a signal emitted by a sense in the stream as it happens", async () => {
      await open("#/signals");
      const since = Date.now();
      const [signal] = await waitForRows(root, { type: "signal", source: "sense:pulse", since }, 1);
      await page.waitForSelector(`tr[data-id="${signal.refId}"]`, { timeout: WAIT });
      // Newest first.
      const first = await page
        .locator('tbody[data-testid="signals"] tr')
        .first()
        .getAttribute("data-id");
      const newer = logRows(root, { type: "signal", since: signal.ts }).map((r) => r.refId);
      expect(newer).toContain(first);
    });

    it("holds new signals while paused and shows them on resume; filters by sense", async () => {
      await open("#/signals");
      await page.getByTestId("pause").click();
      await page.waitForSelector("text=/\\d+ new while paused/", { timeout: WAIT });
      const frozen = await page
        .locator('tbody[data-testid="signals"] tr')
        .first()
        .getAttribute("data-id");
      await page.waitForTimeout(300);
      expect(
        await page.locator('tbody[data-testid="signals"] tr').first().getAttribute("data-id"),
      ).toBe(frozen);
      await page.getByTestId("pause").click();
      await expect
        .poll(
          () => page.locator('tbody[data-testid="signals"] tr').first().getAttribute("data-id"),
          { timeout: WAIT },
        )
        .not.toBe(frozen);

      await cli("sense", "trigger", "xss");
      await page.selectOption('select[aria-label="sense"]', "xss");
      await page.waitForSelector('tbody[data-testid="signals"] tr[data-id]', { timeout: WAIT });
      const senses = await page
        .locator('tbody[data-testid="signals"] tr[data-id] strong')
        .allTextContents();
      expect(senses.length).toBeGreaterThan(0);
      expect(new Set(senses)).toEqual(new Set(["xss"]));
    });

    it("shows an XSS payload as text: nothing in it runs", async () => {
      await cli("sense", "trigger", "xss");
      await open("#/signals");
      const row = page.locator('tbody[data-testid="signals"] tr', { hasText: "<script>" }).first();
      await row.waitFor({ timeout: WAIT });
      await row.click();
      await expectText(
        page.getByTestId("payload-view"),
        '<script>window.__xss = 1</script><img src=x onerror=\\"window.__xss = 2\\">',
      );
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await page.locator("main img, main script").count()).toBe(0);
      await shot("signals");
      await open("#/log?type=signal&source=sense:xss");
      await page
        .locator('tbody[data-testid="log"] tr', { hasText: "<script>" })
        .first()
        .waitFor({ timeout: WAIT });
      expect(await page.locator("main img, main script").count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    });

    it("turns Trigger on a sense into a compute", async () => {
      await open("#/senses");
      const computes = page.locator('tr[data-sense="manual"] [data-testid="computes"]');
      await expect.poll(() => computes.textContent(), { timeout: WAIT }).toMatch(/^\d+$/);
      const before = Number(await computes.textContent());
      await page.locator('tr[data-sense="manual"] [data-testid="trigger"]').click();
      await expect
        .poll(async () => Number(await computes.textContent()), { timeout: WAIT })
        .toBe(before + 1);
      await page.waitForSelector('[data-failure="flaky"] .error-box', { timeout: WAIT });
      await expectText(page.locator('[data-failure="flaky"]'), "timed out talking to the upstream");
      await shot("senses");
    });

    it("shows a run's thread round by round, in order", async () => {
      const { runId } = JSON.parse(
        await cli("workflow", "trigger", "review", "--prompt", "the load spike", "--json"),
      ) as {
        runId: string;
      };
      await waitForRows(root, { type: "workflow.completed", refId: runId }, 1);
      await open("#/runs");
      await page.locator(`tr[data-run="${runId}"] a`).click();
      await page.waitForSelector('[data-testid="thread"] [data-round="3"]', { timeout: WAIT });
      const rounds = page.locator('[data-testid="thread"] .msg');
      expect(
        await rounds.evaluateAll((els) => els.map((e) => e.getAttribute("data-round"))),
      ).toEqual(["0", "1", "2", "3"]);
      expect(await rounds.locator(".role").allTextContents()).toEqual([
        "start",
        "analyst",
        "reviewer",
        "analyst",
      ]);
      await expectText(rounds.nth(1), "round 1: looked at the load spike");
      await expectText(page.locator("main"), "completed");
      await shot("run");
    });

    it("filters runs by workflow and status", async () => {
      const failed = JSON.parse(await cli("workflow", "trigger", "broken", "--json")) as {
        runId: string;
      };
      await cli("workflow", "trigger", "review", "--prompt", "again");
      await waitForRows(root, { type: "workflow.failed", refId: failed.runId }, 1);
      await open("#/runs");
      await page.selectOption('select[aria-label="status"]', "failed");
      await page.waitForSelector(`tr[data-run="${failed.runId}"]`, { timeout: WAIT });
      const statuses = () =>
        page.locator('tbody[data-testid="runs"] tr[data-run] .pill').allTextContents();
      await expect
        .poll(async () => [...new Set(await statuses())], { timeout: WAIT })
        .toEqual(["failed"]);
      await page.selectOption('select[aria-label="status"]', "");
      await page.selectOption('select[aria-label="workflow"]', "review");
      await expect
        .poll(() => page.locator(`tr[data-run="${failed.runId}"]`).count(), { timeout: WAIT })
        .toBe(0);
      const workflows = () =>
        page.locator('tbody[data-testid="runs"] tr[data-run] td:nth-child(2)').allTextContents();
      await expect
        .poll(async () => [...new Set(await workflows())], { timeout: WAIT })
        .toEqual(["review"]);
      expect((await workflows()).length).toBeGreaterThanOrEqual(2);
      await page.selectOption('select[aria-label="workflow"]', "");
      await page.waitForSelector(`tr[data-run="${failed.runId}"]`, { timeout: WAIT });
      await shot("runs");
    });

    it("filters the log and pages through it", async () => {
      await waitForRows(root, { type: "signal", source: "sense:pulse" }, 120, 60_000);
      await open("#/log?type=signal&source=sense:pulse");
      const range = page.getByTestId("page-range");
      await expect.poll(() => range.textContent(), { timeout: WAIT }).toMatch(/^1–50 of \d+$/);
      const types = await page
        .locator('tbody[data-testid="log"] tr[data-log-id] .pill')
        .allTextContents();
      expect(types).toHaveLength(50);
      expect(new Set(types)).toEqual(new Set(["signal"]));
      const firstPage = await page.locator("tr[data-log-id]").first().getAttribute("data-log-id");
      await page.getByRole("button", { name: "Older →" }).click();
      await expect.poll(() => range.textContent(), { timeout: WAIT }).toMatch(/^51–100 of \d+$/);
      const secondPage = await page.locator("tr[data-log-id]").first().getAttribute("data-log-id");
      expect(Number(secondPage)).toBeLessThan(Number(firstPage));
      await open("#/log");
      await page.locator("tr[data-log-id]").first().waitFor({ timeout: WAIT });
      await shot("log");
    });

    it("ran every page without a script error", () => {
      expect(pageErrors).toEqual([]);
    });
  },
  90_000,
);
