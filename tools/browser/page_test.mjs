// Loads exported raftsim pages in Debian's chromium and checks what they show against the
// traces they came from: roles, terms and logs at given steps, stepping forward and back,
// the violation marker. Screenshots go to the output directory. Prints a doctest-style
// summary line so tools/test.sh counts its cases; exits 77 (meson's skip) when chromium or
// playwright-core is missing.
//
// usage: node page_test.mjs RAFTSIM SCENARIOS_DIR OUT_DIR
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [raftsim, scenarios, outDir] = process.argv.slice(2);
const CHROMIUM = process.env.RAFTSIM_CHROMIUM || "/usr/bin/chromium";

function skip(reason) {
  console.log(`skipped: ${reason}`);
  console.log("[doctest] test cases: 0 | 0 passed | 0 failed | 0 skipped");
  process.exit(77);
}

if (!raftsim || !scenarios || !outDir) {
  console.error("usage: node page_test.mjs RAFTSIM SCENARIOS_DIR OUT_DIR");
  process.exit(2);
}
if (!existsSync(CHROMIUM)) skip(`no chromium at ${CHROMIUM} (apt-get install chromium)`);
let chromium;
try {
  const require = createRequire(import.meta.url);
  ({ chromium } = require("playwright-core"));
} catch {
  skip("playwright-core is not installed (cd tools/browser && npm ci)");
}

mkdirSync(outDir, { recursive: true });
const out = (name) => path.join(outDir, name);
function run(...args) {
  try {
    return execFileSync(raftsim, args, { encoding: "utf8", env: { ...process.env, CI: "true" } });
  } catch (e) {
    if (e.status === 1) return e.stdout;  // a violation: the trace is still written
    throw e;
  }
}

// ---- the traces and their pages ----
run("run", "--seed", "3", "--nodes", "3", "--trace", out("sim.json"));
run("check", "--preset", "elect3", "--bug", "vote-no-log-check", "--out", out("cex.json"));
run("scenario", "run", path.join(scenarios, "leader-partitioned-away.scn"), "--trace", out("scenario.json"));
for (const name of ["sim", "cex", "scenario"]) {
  run("export", out(`${name}.json`), "--format", "html", "-o", out(`${name}.html`));
}

let passed = 0;
let failed = 0;
const failures = [];
async function testCase(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok: ${name}`);
  } catch (e) {
    failed++;
    failures.push(name);
    console.log(`FAILED: ${name}\n  ${e && e.stack ? e.stack.split("\n").slice(0, 3).join("\n  ") : e}`);
  }
}
function expectEqual(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, the page shows ${JSON.stringify(actual)}`);
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => {
  if (!r.url().startsWith("file:") && !r.url().startsWith("http://127.0.0.1:")) errors.push(`network request: ${r.url()}`);
});

async function open(name) {
  await page.goto(pathToFileURL(out(`${name}.html`)).href);
  await page.waitForFunction(() => window.raftsim !== undefined);
}
const frame = () => page.evaluate(() => window.raftsim.frame());
async function servers() {
  return page.$$eval("g.server", (gs) => gs.map((g) => ({ role: g.dataset.role, term: +g.dataset.term })));
}
async function logs() {
  return page.$$eval("#log-grid tr[data-node]", (rows) =>
    rows.map((r) => ({ log: r.dataset.log === "" ? [] : r.dataset.log.split(",").map(Number), commit: +r.dataset.commit })));
}
async function seek(k) {
  await page.evaluate((f) => window.raftsim.seek(f), k);
}

await testCase("a model counterexample: each step's roles, terms and logs, forward and back, the violation", async () => {
  const trace = JSON.parse(readFileSync(out("cex.json"), "utf8"));
  await open("cex");
  expectEqual(await frame(), 0, "the first frame");
  for (let k = 1; k <= trace.events.length; k++) {
    await page.click("#btn-fwd");
    expectEqual(await frame(), k, "frame after forward");
    const want = trace.events[k - 1].nodes;
    const shown = await servers();
    expectEqual(shown.map((s) => s.role), want.map((n) => (n.down ? "down" : n.role)), `roles at step ${k}`);
    expectEqual(shown.map((s) => s.term), want.map((n) => n.term), `terms at step ${k}`);
    expectEqual((await logs()).map((l) => l.log), want.map((n) => n.log), `logs at step ${k}`);
  }
  await page.click("#btn-back");
  expectEqual(await frame(), trace.events.length - 1, "frame after back");
  await page.click("#btn-violation");
  expectEqual(await frame(), trace.verdict.event, "the violation button's frame");
  const banner = await page.$eval("#violation-banner", (b) => ({ here: b.className, text: b.textContent }));
  expectEqual(banner.here, "here", "the banner marks the violating step");
  if (!banner.text.includes(trace.verdict.property)) throw new Error(`banner lacks the property: ${banner.text}`);
  const why = await page.textContent("#why");
  if (!why.startsWith("why: ")) throw new Error(`no explanation at the violating step: ${why}`);
  await page.screenshot({ path: out("cex-violation.png"), fullPage: true });
});

await testCase("a simulator trace: roles, terms, commit and log length at every 500th event; the scrubber", async () => {
  const trace = JSON.parse(readFileSync(out("sim.json"), "utf8"));
  await open("sim");
  for (let k = 1; k <= trace.events.length; k += 500) {
    const e = trace.events[k - 1];
    await seek(k);
    if (e.n === undefined || e.role === undefined) continue;
    const shown = (await servers())[e.n];
    expectEqual(shown.role, e.role, `role of n${e.n} at event ${k}`);
    expectEqual(shown.term, e.term || 0, `term of n${e.n} at event ${k}`);
    const log = (await logs())[e.n];
    expectEqual(log.log.length, e.last || 0, `log length of n${e.n} at event ${k}`);
    expectEqual(log.commit, e.commit || 0, `commit of n${e.n} at event ${k}`);
  }
  await page.$eval("#scrubber", (s) => { s.value = "1500"; s.dispatchEvent(new Event("input")); });
  expectEqual(await frame(), 1500, "frame after scrubbing");
  await page.click("#btn-fwd");
  await page.click("#btn-fwd");
  await page.click("#btn-back");
  expectEqual(await frame(), 1501, "two forward, one back");
  const arcs = await page.$$eval("path.timer-arc", (a) => a.length);
  if (arcs === 0) throw new Error("no election timer arcs drawn");
  await page.click("g.server[data-node='0'] circle");
  const details = await page.textContent("#details");
  if (!details.includes("server n0")) throw new Error(`clicking n0 shows: ${details}`);
  await page.screenshot({ path: out("sim.png"), fullPage: true });
});

await testCase("a history that is not linearizable: the witness highlighted in the client history, its legend, its marks", async () => {
  run("run", "--seed", "9", "--bug", "read-without-quorum", "--trace", out("lin.json"));
  run("export", out("lin.json"), "--format", "html", "-o", out("lin.html"));
  const trace = JSON.parse(readFileSync(out("lin.json"), "utf8"));
  const witness = trace.linearizability.witness;
  await open("lin");
  const legend = await page.$eval("#lin-legend", (l) => ({ hidden: l.hidden, text: l.textContent }));
  expectEqual(legend.hidden, false, "the legend is shown");
  if (!legend.text.startsWith("linearizability violated on key " + trace.linearizability.key)) throw new Error(`legend: ${legend.text}`);
  await seek(witness[0].invokeEvent);
  const marks = await page.textContent("#lin-marks");
  if (!marks.includes(`lin-witness: c${witness[0].client}#${witness[0].seq} `)) throw new Error(`marks at the first invocation: ${marks}`);
  await seek(trace.events.length);
  expectEqual(await page.$$eval("#ops .op.witness", (d) => d.length), witness.length, "highlighted operations at the end");
  await page.screenshot({ path: out("lin.png"), fullPage: true });
  await open("sim");
  expectEqual(await page.$eval("#lin-legend", (l) => l.hidden), true, "no legend for a linearizable history");
  await seek(trace.events.length);
  expectEqual(await page.$$eval("#ops .op.witness", (d) => d.length), 0, "nothing highlighted for a linearizable history");
});

await testCase("a scenario trace: played to the end, the last state as recorded, messages drawn", async () => {
  const trace = JSON.parse(readFileSync(out("scenario.json"), "utf8"));
  await open("scenario");
  await page.selectOption("#speed", "512");
  await page.click("#btn-play");
  await page.waitForFunction((n) => window.raftsim.frame() === n, trace.events.length, { timeout: 20000 });
  await page.waitForFunction(() => document.getElementById("btn-play").textContent === "play");
  const want = trace.events[trace.events.length - 1].nodes;
  expectEqual((await servers()).map((s) => s.term), want.map((n) => n.term), "terms at the end");
  expectEqual((await logs()).map((l) => l.log), want.map((n) => n.log), "logs at the end");
  await seek(3);
  const captioned = trace.events.findIndex((e) => e.caption);
  if (captioned < 0) throw new Error("the scenario trace has no captions");
  await seek(captioned + 1);
  expectEqual(await page.textContent("#caption"), trace.events[captioned].caption, "the caption of a step");
  await seek(3);
  const msgs = await page.$$eval("circle.msg", (m) => m.length);
  expectEqual(msgs, trace.events[2].flight, "messages drawn at step 3");
  await page.click("circle.msg");
  const details = await page.textContent("#details");
  if (!details.startsWith("message")) throw new Error(`clicking a message shows: ${details}`);
  await page.screenshot({ path: out("scenario.png"), fullPage: true });
});

await testCase("a trace of 100,000 events or more stays responsive: loads in seconds, seeks in a fraction of one", async () => {
  run("run", "--seed", "1", "--nodes", "5", "--time", "75", "--trace", out("big.json"));
  run("export", out("big.json"), "--format", "html", "-o", out("big.html"));
  const events = JSON.parse(readFileSync(out("big.json"), "utf8")).events.length;
  if (events < 100000) throw new Error(`only ${events} events`);
  let t = Date.now();
  await open("big");
  const load = Date.now() - t;
  t = Date.now();
  for (const f of [events, 7, Math.floor(events / 2), events - 12345, 99999]) await seek(f);
  const perSeek = (Date.now() - t) / 5;
  console.log(`  ${events} events: loaded in ${load} ms, ${perSeek} ms a seek`);
  if (load > 20000 || perSeek > 1000) throw new Error(`too slow: load ${load} ms, ${perSeek} ms a seek`);
  await page.screenshot({ path: out("big.png") });
});

// raftsim serve: started here, stopped here (by its own process id).
async function startServe() {
  const child = spawn(raftsim, ["serve", "--port", "0", "--nodes", "3"], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const address = await new Promise((resolve) => {
    const done = (value) => resolve(value);
    child.stdout.on("data", (d) => {
      text += d;
      const m = text.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) done(m[0]);
    });
    child.stderr.on("data", (d) => { text += d; });
    child.on("exit", () => done(null));
  });
  return { child, address, text };
}

const serve = await startServe();
if (!serve.address) {
  console.log(`skipped: raftsim serve: ${serve.text.trim()}`);
} else {
  await testCase("raftsim serve: click to elect a leader, go back, save a trace that replays identical", async () => {
    const click = async (command) => {
      await Promise.all([page.waitForNavigation(), page.click(`#live-choices button[data-command="${command}"]`)]);
    };
    await page.goto(serve.address);
    await page.waitForFunction(() => window.raftsim !== undefined);
    expectEqual((await servers()).map((s) => s.role), ["follower", "follower", "follower"], "roles at the start");
    await click("timeout 0");
    await click("deliver vote 0->1");
    await click("deliver vote-resp 1->0");
    expectEqual((await servers())[0].role, "leader", "n0 after its vote is counted");
    const why = await page.textContent("#why");
    if (!why.includes("becomes leader")) throw new Error(`the last step's why: ${why}`);
    await page.screenshot({ path: out("serve-leader.png"), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click("#live-back")]);
    expectEqual((await servers())[0].role, "candidate", "n0 after back");
    await page.fill("#live-command", "frobnicate");
    await page.click("#live-form button");
    await page.waitForFunction(() => document.getElementById("live-error").textContent !== "");
    const error = await page.textContent("#live-error");
    if (!error.startsWith("unknown command 'frobnicate'")) throw new Error(`a bad command says: ${error}`);
    const trace = await page.evaluate(() => fetch("/trace.json").then((r) => r.text()));
    writeFileSync(out("serve.json"), trace);
    const replay = run("replay", out("serve.json"));
    if (!replay.includes("identical: 2 events")) throw new Error(`replay says: ${replay}`);
  });
  serve.child.kill("SIGTERM");
}

await testCase("no page error and no network request", async () => {
  expectEqual(errors, [], "page errors and requests");
});

await browser.close();
console.log(`screenshots: ${["cex-violation", "sim", "scenario", "big", "serve-leader"].map((n) => out(n + ".png")).join(" ")}`);
console.log(`[doctest] test cases: ${passed + failed} | ${passed} passed | ${failed} failed | 0 skipped`);
process.exit(failed === 0 ? 0 : 1);
