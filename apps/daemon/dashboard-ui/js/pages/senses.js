// Senses: the `list-senses` table, live, with compute-duration sparklines and a Trigger button.
import { get, post, stream } from "../api.js";
import { sparkline } from "../chart.js";
import { duration, empty, fill, h, head, pill, pretty, when } from "../dom.js";

export function render(main, { setConn, toast }) {
  const body = h("tbody");
  const failures = h("div", { class: "stack" });
  main.append(
    head(
      "Senses",
      h("span", { class: "spacer" }),
      h("span", { class: "muted small" }, "durations of the last 40 computes; red dots failed"),
    ),
    h(
      "section",
      { class: "panel" },
      h(
        "table",
        { "data-testid": "senses" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", null, "Sense"),
            h("th", null, "State"),
            h("th", null, "Schedule"),
            h("th", { class: "num" }, "Computes"),
            h("th", { class: "num" }, "Errors"),
            h("th", null, "Last compute"),
            h("th", null, "Last signal"),
            h("th", null, "Recent durations"),
            h("th", null, ""),
          ),
        ),
        body,
      ),
    ),
    failures,
  );

  const rows = new Map();
  let names = "";

  function trigger(name, button) {
    button.disabled = true;
    post(`senses/${encodeURIComponent(name)}/trigger`)
      .then(() => toast(`${name}: compute queued`))
      .catch((error) => toast(`${name}: ${error.message}`))
      .finally(() => setTimeout(() => (button.disabled = false), 400));
  }

  function build(senses) {
    for (const row of rows.values()) row.spark?.destroy();
    rows.clear();
    names = senses.map((s) => s.name).join(",");
    if (senses.length === 0) {
      fill(body, empty("No senses are declared in nerve.yaml", 9));
      return;
    }
    fill(
      body,
      senses.map((sense) => {
        const cells = {
          state: h("td"),
          computes: h("td", { class: "num", "data-testid": "computes" }),
          errors: h("td", { class: "num" }),
          lastCompute: h("td"),
          lastSignal: h("td"),
          spark: h("div", { class: "spark" }),
        };
        const button = h(
          "button",
          {
            class: "primary",
            "data-testid": "trigger",
            onclick: () => trigger(sense.name, button),
          },
          "Trigger",
        );
        const tr = h(
          "tr",
          { "data-sense": sense.name },
          h(
            "td",
            null,
            h("strong", null, sense.name),
            h("div", { class: "muted small" }, `group ${sense.group}`),
          ),
          cells.state,
          h("td", { class: "small" }, schedule(sense)),
          cells.computes,
          cells.errors,
          cells.lastCompute,
          cells.lastSignal,
          h("td", null, cells.spark),
          h("td", { class: "num" }, button),
        );
        rows.set(sense.name, { tr, cells, spark: null, errors: null });
        return tr;
      }),
    );
    for (const sense of senses) update(sense);
  }

  function update(sense) {
    const row = rows.get(sense.name);
    if (!row) return;
    const { cells } = row;
    fill(
      cells.state,
      sense.disabled ? pill("disabled") : sense.running ? pill("computing") : pill("idle"),
    );
    cells.computes.textContent = sense.computes ?? "–";
    fill(
      cells.errors,
      sense.errors ? h("span", { class: "bad strong" }, sense.errors) : (sense.errors ?? "–"),
    );
    fill(cells.lastCompute, when(sense.lastComputeAt));
    fill(cells.lastSignal, when(sense.lastSignalAt));
    const recent = sense.recent ?? [];
    if (row.spark === null && recent.length > 0) row.spark = sparkline(cells.spark, recent);
    else row.spark?.set(recent);
    if (recent.length > 0)
      cells.spark.title = `last ${duration(recent.at(-1).ms)}, slowest ${duration(Math.max(...recent.map((p) => p.ms)))}`;
    if (row.errors !== null && sense.errors !== row.errors) loadFailures();
    row.errors = sense.errors;
  }

  function showFailures(senses) {
    const failed = senses.filter((s) => s.lastFailure !== null || (s.disabled && s.lastError));
    fill(
      failures,
      failed.map((s) =>
        h(
          "section",
          { class: "panel", "data-failure": s.name },
          h("h2", null, `Last error · ${s.name}`),
          h(
            "div",
            { class: "error-box" },
            h("div", null, s.lastError ?? s.lastFailure?.payload?.message ?? ""),
            s.lastFailure
              ? h(
                  "div",
                  { class: "muted small" },
                  `${s.lastFailure.type} · `,
                  when(s.lastFailure.ts),
                )
              : null,
          ),
          s.lastFailure?.payload?.stack
            ? h(
                "details",
                { class: "gap-top-s" },
                h("summary", null, "stack"),
                h("pre", { class: "box" }, pretty(s.lastFailure.payload.stack)),
              )
            : null,
        ),
      ),
    );
  }

  function loadFailures() {
    get("senses").then(showFailures, () => undefined);
  }

  get("senses").then(
    (senses) => {
      build(senses);
      showFailures(senses);
    },
    (error) => fill(body, empty(error.message, 9)),
  );

  const stop = stream({
    topics: ["stats"],
    onstate: setConn,
    on: {
      stats: (s) => {
        if (s.senses.map((x) => x.name).join(",") !== names) build(s.senses);
        else for (const sense of s.senses) update(sense);
      },
    },
  });
  return () => {
    stop();
    for (const row of rows.values()) row.spark?.destroy();
  };
}

function schedule(sense) {
  const parts = [];
  if (sense.interval !== null) parts.push(`every ${duration(sense.interval)}`);
  if (sense.on.length > 0) parts.push(`on ${sense.on.join(", ")}`);
  if (parts.length === 0) parts.push("by hand");
  const limits = [];
  if (sense.throttle) limits.push(`throttle ${duration(sense.throttle)}`);
  limits.push(`timeout ${duration(sense.timeout)}`);
  if (sense.gracePeriod) limits.push(`grace ${duration(sense.gracePeriod)}`);
  return [h("div", null, parts.join(" · ")), h("div", { class: "muted" }, limits.join(" · "))];
}
