// Log: the structured log with filters by type, source, ref id and time range, paged, live.
import { get, stream } from "../api.js";
import { dateTime, empty, fill, h, head, pager, preview, pretty, time, typePill } from "../dom.js";

const LIMIT = 50;
const TYPES = [
  "signal",
  "sense.error",
  "sense.timeout",
  "worker.exit",
  "workflow.queued",
  "workflow.started",
  "workflow.message",
  "workflow.completed",
  "workflow.failed",
  "workflow.crashed",
  "workflow.interrupted",
  "workflow.dropped",
  "config.reload",
  "config.error",
  "daemon.start",
  "daemon.stop",
];

export function render(main, { query, setQuery, setConn }) {
  const state = {
    type: query.type ?? "",
    source: query.source ?? "",
    refId: query.refId ?? "",
    since: query.since ?? "",
    until: query.until ?? "",
    offset: Number(query.offset ?? 0) || 0,
  };
  const inputs = {
    type: h("input", {
      name: "type",
      list: "log-types",
      placeholder: "any type",
      value: state.type,
      size: 16,
    }),
    source: h("input", {
      name: "source",
      placeholder: "sense:cpu, daemon…",
      value: state.source,
      size: 16,
    }),
    refId: h("input", {
      name: "refId",
      placeholder: "signal or run id",
      value: state.refId,
      size: 22,
    }),
    since: h("input", {
      name: "since",
      type: "datetime-local",
      step: 1,
      value: toLocal(state.since),
    }),
    until: h("input", {
      name: "until",
      type: "datetime-local",
      step: 1,
      value: toLocal(state.until),
    }),
  };
  const body = h("tbody", { "data-testid": "log" });
  const pagerEl = h("div");
  const live = h("span", { class: "muted small" });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (e) => {
        e.preventDefault();
        apply();
      },
    },
    h("label", null, "type", inputs.type),
    h("label", null, "source", inputs.source),
    h("label", null, "ref id", inputs.refId),
    h("label", null, "since", inputs.since),
    h("label", null, "until", inputs.until),
    h("label", null, "\u00a0", h("button", { class: "primary", type: "submit" }, "Apply")),
    h("label", null, "\u00a0", h("button", { type: "button", onclick: () => clear() }, "Clear")),
    h(
      "datalist",
      { id: "log-types" },
      TYPES.map((t) => h("option", { value: t })),
    ),
  );
  main.append(
    head("Log", h("span", { class: "spacer" }), live),
    form,
    h(
      "section",
      { class: "panel" },
      h(
        "table",
        null,
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { class: "num" }, "Id"),
            h("th", null, "Time"),
            h("th", null, "Type"),
            h("th", null, "Source"),
            h("th", null, "Ref"),
            h("th", null, "Payload"),
          ),
        ),
        body,
      ),
      pagerEl,
    ),
  );

  function apply() {
    state.type = inputs.type.value.trim();
    state.source = inputs.source.value.trim();
    state.refId = inputs.refId.value.trim();
    state.since = fromLocal(inputs.since.value);
    state.until = fromLocal(inputs.until.value);
    state.offset = 0;
    setQuery(state);
    load();
  }

  function clear() {
    for (const input of Object.values(inputs)) input.value = "";
    apply();
  }

  let loading = false;
  let again = false;
  /** One request at a time; an answer for filters that changed meanwhile is dropped and asked again. */
  function load() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    const asked = JSON.stringify(state);
    get("log", { ...state, limit: LIMIT })
      .then((page) => {
        if (asked !== JSON.stringify(state)) {
          again = true;
          return;
        }
        fill(
          body,
          page.rows.length === 0
            ? empty("No log rows match these filters", 6)
            : page.rows.flatMap(rowOf),
        );
        fill(
          pagerEl,
          pager(page, (offset) => {
            state.offset = offset;
            setQuery(state);
            load();
          }),
        );
        live.textContent =
          state.offset === 0 ? "live: new rows appear at the top" : "paused while on an older page";
      })
      .catch((error) => fill(body, empty(error.message, 6)))
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          load();
        }
      });
  }

  function rowOf(row) {
    const detail = h(
      "tr",
      { hidden: true },
      h("td", { colspan: 6 }, h("pre", { class: "box" }, pretty(row.payload))),
    );
    const tr = h(
      "tr",
      {
        class: "clickable",
        "data-log-id": row.id,
        onclick: () => (detail.hidden = !detail.hidden),
      },
      h("td", { class: "num mono muted" }, row.id),
      h("td", { class: "mono", title: dateTime(row.ts) }, time(row.ts)),
      h("td", null, typePill(row.type)),
      h("td", null, row.source),
      h("td", { class: "mono" }, row.refId ? refLink(row) : ""),
      h("td", { class: "clip mono" }, row.payload === null ? "" : preview(row.payload)),
    );
    return [tr, detail];
  }

  /** A run's rows link to its page; any other ref filters the log by it. */
  function refLink(row) {
    const text = row.refId.slice(0, 13);
    if (row.type.startsWith("workflow.")) {
      return h(
        "a",
        {
          href: `#/runs/${encodeURIComponent(row.refId)}`,
          title: row.refId,
          onclick: (e) => e.stopPropagation(),
        },
        text,
      );
    }
    return h(
      "a",
      {
        href: "#",
        title: `only rows about ${row.refId}`,
        onclick: (e) => {
          e.preventDefault();
          e.stopPropagation();
          inputs.refId.value = row.refId;
          apply();
        },
      },
      text,
    );
  }

  function matches(row) {
    return (
      (!state.type || row.type === state.type) &&
      (!state.source || row.source === state.source) &&
      (!state.refId || row.refId === state.refId) &&
      (!state.since || row.ts >= Number(state.since)) &&
      (!state.until || row.ts <= Number(state.until))
    );
  }

  let timer = null;
  function onLog(batch) {
    if (state.offset !== 0 || loading) return;
    if (!batch.missed && !batch.rows.some(matches)) return;
    // Bursts redraw at most twice a second.
    timer ??= setTimeout(() => {
      timer = null;
      load();
    }, 500);
  }

  load();
  const stop = stream({ topics: ["log"], on: { log: onLog }, onstate: setConn });
  return () => {
    stop();
    clearTimeout(timer);
  };
}

function toLocal(ms) {
  if (!ms) return "";
  const d = new Date(Number(ms));
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function fromLocal(value) {
  return value ? String(new Date(value).getTime()) : "";
}
