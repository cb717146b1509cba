// Signals: the live stream, newest first, with pause/resume, a sense filter and a payload viewer.
import { get, stream } from "../api.js";
import { empty, fill, h, head, preview, pretty, shortId, time, dateTime } from "../dom.js";

const KEEP = 500; // rows shown at most
const INITIAL = 100;

export function render(main, { query, setQuery, setConn }) {
  let sense = query.sense ?? "";
  let paused = false;
  let held = [];
  let shown = [];
  let early = null; // signals heard while the first page loads
  let stop = () => undefined;

  const body = h("tbody", { "data-testid": "signals" });
  const select = h(
    "select",
    { "aria-label": "sense", onchange: () => setSense(select.value) },
    h("option", { value: "" }, "all senses"),
  );
  const pauseButton = h(
    "button",
    { "data-testid": "pause", onclick: () => togglePause() },
    "Pause",
  );
  const heldNote = h("span", { class: "muted small" });
  const viewer = h("div", { class: "empty" }, "Select a signal to see its payload.");
  main.append(
    head("Signals", h("span", { class: "spacer" }), heldNote, select, pauseButton),
    h(
      "div",
      { class: "split" },
      h(
        "section",
        { class: "panel scroll" },
        h(
          "table",
          null,
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              h("th", null, "Time"),
              h("th", null, "Sense"),
              h("th", null, "Id"),
              h("th", null, "Payload"),
            ),
          ),
          body,
        ),
      ),
      h("section", { class: "panel sticky" }, h("h2", null, "Payload"), viewer),
    ),
  );

  get("overview").then((o) => {
    for (const name of o.senses) select.append(h("option", { value: name }, name));
    select.value = sense;
  });

  function row(signal) {
    const tr = h(
      "tr",
      { class: "clickable", "data-id": signal.id, onclick: () => choose(signal, tr) },
      h("td", { class: "mono", title: dateTime(signal.ts) }, time(signal.ts)),
      h("td", null, h("strong", null, signal.sense)),
      h("td", { class: "mono muted" }, shortId(signal.id)),
      h("td", { class: "clip mono", "data-testid": "payload" }, preview(signal.payload)),
    );
    return tr;
  }

  function choose(signal, tr) {
    body.querySelector("tr.selected")?.classList.remove("selected");
    tr.classList.add("selected");
    viewer.className = "";
    fill(
      viewer,
      h(
        "dl",
        { class: "meta gap-bottom" },
        h("dt", null, "sense"),
        h("dd", null, signal.sense),
        h("dt", null, "id"),
        h("dd", { class: "mono" }, signal.id),
        h("dt", null, "time"),
        h("dd", null, dateTime(signal.ts)),
        h("dt", null, "cause"),
        h("dd", { class: "mono" }, signal.causeId ?? "–"),
      ),
      h("pre", { class: "box", "data-testid": "payload-view" }, pretty(signal.payload)),
    );
  }

  function show(signals) {
    // Newest first; the oldest fall off beyond KEEP.
    shown = [...signals.reverse(), ...shown].slice(0, KEEP);
    if (shown.length === 0) {
      fill(body, empty(sense ? `No signals of ${sense} yet` : "No signals yet", 4));
      return;
    }
    if (body.querySelector("td.empty")) body.replaceChildren();
    body.prepend(...signals.map(row));
    while (body.children.length > KEEP) body.lastChild.remove();
  }

  function onSignal(signal) {
    if (early !== null) {
      early.push(signal);
      if (early.length > KEEP) early.shift();
      return;
    }
    if (paused) {
      held.push(signal);
      if (held.length > KEEP) held.shift();
      heldNote.textContent = `${held.length} new while paused`;
      return;
    }
    show([signal]);
  }

  function togglePause() {
    paused = !paused;
    pauseButton.textContent = paused ? "Resume" : "Pause";
    pauseButton.classList.toggle("primary", paused);
    if (!paused && held.length > 0) {
      show(held);
      held = [];
    }
    heldNote.textContent = "";
  }

  function connect() {
    stop();
    shown = [];
    held = [];
    early = [];
    fill(body, empty("Loading…", 4));
    const source = sense ? `sense:${sense}` : undefined;
    get("log", { type: "signal", source, limit: INITIAL }).then((page) => {
      fill(body);
      const signals = page.rows.map((r) => ({
        id: r.refId,
        sense: r.source.replace(/^sense:/, ""),
        ts: r.ts,
        causeId: null,
        payload: r.payload,
      }));
      const known = new Set(signals.map((s) => s.id));
      const later = (early ?? []).filter((s) => !known.has(s.id));
      early = null;
      show([...signals.reverse(), ...later]);
    });
    stop = stream({ topics: ["signal"], sense, on: { signal: onSignal }, onstate: setConn });
  }

  function setSense(value) {
    sense = value;
    setQuery({ sense });
    connect();
  }

  connect();
  return () => stop();
}
