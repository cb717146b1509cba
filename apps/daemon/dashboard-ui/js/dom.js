// DOM helpers. Everything that comes from the daemon is put in the page as text (textContent),
// never as markup: a payload that holds "<script>" shows as those characters.

/** An element: attributes (`on*` functions become listeners, `class`, data-*, …) and children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function")
      el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const STATUS_COLOURS = {
  running: "green",
  ok: "green",
  completed: "green",
  idle: "",
  computing: "blue",
  started: "blue",
  queued: "amber",
  disabled: "red",
  failed: "red",
  crashed: "red",
  interrupted: "amber",
  dropped: "",
};

export function pill(text, colour) {
  return h("span", { class: `pill ${colour ?? STATUS_COLOURS[text] ?? ""}` }, text);
}

/** A log type's colour: errors red, workflow ends by outcome, signals accent. */
export function typePill(type) {
  let colour = "";
  if (/error|failed|crashed|timeout/.test(type)) colour = "red";
  else if (type === "signal") colour = "accent";
  else if (/completed|start$|reload/.test(type)) colour = "green";
  else if (/interrupted|dropped|queued|resumed|exit|stop/.test(type)) colour = "amber";
  else if (type.startsWith("workflow.")) colour = "blue";
  return pill(type, colour);
}

export function time(ts) {
  if (ts === null || ts === undefined) return "–";
  const d = new Date(ts);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function dateTime(ts) {
  if (ts === null || ts === undefined) return "–";
  return new Date(ts).toLocaleString();
}

export function ago(ts, now = Date.now()) {
  if (ts === null || ts === undefined) return "–";
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** `when` as a relative time, with the full date on hover. */
export function when(ts) {
  return h("span", { title: dateTime(ts) }, ago(ts));
}

export function duration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s % 60) ? `${Math.round(s % 60)}s` : ""}`;
  const hours = Math.floor(m / 60);
  return `${hours}h${m % 60 ? `${m % 60}m` : ""}`;
}

export function uptime(ms) {
  return duration(ms).replace(" ", "");
}

/** JSON on one line, cut to `max` characters, for a table cell. */
export function preview(value, max = 160) {
  const text = value === undefined ? "" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

export function shortId(id) {
  return id ? id.slice(0, 13) : "–";
}

export function empty(text, colspan) {
  const cell = h("td", { class: "empty", colspan }, text);
  return colspan ? h("tr", null, cell) : h("div", { class: "empty" }, text);
}

/** A page's heading row. */
export function head(title, ...rest) {
  return h("div", { class: "page-head" }, h("h1", null, title), ...rest);
}

/** "1–25 of 103" with previous / next buttons. */
export function pager(page, go) {
  const { offset, limit, total } = page;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return h(
    "div",
    { class: "pager" },
    h("span", { "data-testid": "page-range" }, `${from}–${to} of ${total}`),
    h(
      "button",
      { disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) },
      "← Newer",
    ),
    h("button", { disabled: to >= total, onclick: () => go(offset + limit) }, "Older →"),
  );
}
