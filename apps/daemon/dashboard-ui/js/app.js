// The dashboard: a hash router over five pages, each with its own slice of the event stream.
import { fill, h } from "./dom.js";
import * as log from "./pages/log.js";
import * as overview from "./pages/overview.js";
import * as run from "./pages/run.js";
import * as runs from "./pages/runs.js";
import * as senses from "./pages/senses.js";
import * as signals from "./pages/signals.js";

const PAGES = { overview, senses, signals, runs, log };

const main = document.getElementById("main");
const conn = document.getElementById("conn");
const toastEl = document.getElementById("toast");
let cleanup = null;
let toastTimer = null;

/** `#/runs/ID?status=failed` → { page: "runs", id: "ID", query: {status: "failed"} } */
function parse() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, qs] = hash.split("?");
  const [page, id] = path.split("/").map(decodeURIComponent);
  return { page: page || "overview", id, query: Object.fromEntries(new URLSearchParams(qs ?? "")) };
}

/** Sets the address for the current page's filters without adding a history entry per keystroke. */
function setQuery(page, query, { replace = true } = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "" && value !== 0)
      params.set(key, value);
  }
  const qs = params.toString();
  const target = `#/${page}${qs ? `?${qs}` : ""}`;
  if (replace) history.replaceState(null, "", target);
  else location.hash = target;
}

export function toast(text) {
  toastEl.textContent = text;
  toastEl.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toastEl.classList.remove("show"), 2200);
}

function setConn(state) {
  conn.dataset.state = state;
  conn.querySelector(".conn-text").textContent =
    state === "live" ? "live" : state === "down" ? "disconnected" : "reconnecting";
}

function route() {
  cleanup?.();
  cleanup = null;
  const { page, id, query } = parse();
  const module = page === "runs" && id ? run : PAGES[page];
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.page === page);
  }
  if (!module) {
    fill(
      main,
      h("div", { class: "empty" }, "No such page. ", h("a", { href: "#/overview" }, "Overview")),
    );
    return;
  }
  main.replaceChildren();
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · Nerve`;
  const ctx = { id, query, setQuery: (q, o) => setQuery(page, q, o), toast, setConn };
  try {
    cleanup = module.render(main, ctx) ?? null;
  } catch (error) {
    fill(main, h("div", { class: "error-box" }, String(error?.message ?? error)));
  }
}

window.addEventListener("hashchange", route);
// Charts take their colours from the theme when drawn: draw again when the theme changes.
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", route);
// uPlot arrives with `defer`, before this module runs; modules run after the document parsed.
route();
