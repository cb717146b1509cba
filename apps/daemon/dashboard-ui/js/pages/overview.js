// Overview: daemon health, worker processes, and live rates as charts.
import { get, stream } from "../api.js";
import { lineChart } from "../chart.js";
import { empty, fill, h, head, pill, uptime } from "../dom.js";

const WINDOW = 300; // seconds of history the charts keep

export function render(main, { setConn }) {
  const cards = {
    uptime: card("Daemon", "uptime"),
    signals: card("Signals", "per second"),
    computes: card("Computes", "per minute"),
    errors: card("Errors", "per minute"),
  };
  const groupsBody = h("tbody", { "data-testid": "groups" });
  const workflowsBody = h("tbody", { "data-testid": "workflows" });
  const signalChartEl = h("div", { class: "chart" });
  const computeChartEl = h("div", { class: "chart" });
  const identity = h("div", { class: "muted small mono" });
  main.append(
    head("Overview", h("span", { class: "spacer" }), identity),
    h("div", { class: "grid cards" }, ...Object.values(cards).map((c) => c.el)),
    h(
      "div",
      { class: "grid two gap-top" },
      h("section", { class: "panel" }, h("h2", null, "Signals per second"), signalChartEl),
      h(
        "section",
        { class: "panel" },
        h("h2", null, "Computes and errors per minute"),
        computeChartEl,
      ),
    ),
    h(
      "div",
      { class: "grid two gap-top" },
      h(
        "section",
        { class: "panel" },
        h("h2", null, "Sense groups"),
        h(
          "table",
          null,
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              th("Group"),
              th("PID", true),
              th("Restarts", true),
              th("State"),
              th("Senses"),
            ),
          ),
          groupsBody,
        ),
      ),
      h(
        "section",
        { class: "panel" },
        h("h2", null, "Workflows"),
        h(
          "table",
          null,
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              th("Workflow"),
              th("PID", true),
              th("Active", true),
              th("Queued", true),
              th("State"),
            ),
          ),
          workflowsBody,
        ),
      ),
    ),
  );

  const signalChart = lineChart(signalChartEl, [{ label: "signals/s", colour: "--chart-1" }]);
  const computeChart = lineChart(computeChartEl, [
    { label: "computes/min", colour: "--chart-2" },
    { label: "errors/min", colour: "--chart-3" },
  ]);

  // Cumulative counters each second → per-second and per-minute rates, WINDOW samples kept.
  const xs = [];
  const signalRate = [];
  const computeRate = [];
  const errorRate = [];
  const computeDeltas = [];
  const errorDeltas = [];
  let last = null;

  function showHealth(health) {
    identity.textContent = `pid ${health.pid} · v${health.version} · ${health.root}`;
    cards.uptime.set(uptime(health.uptimeMs), `pid ${health.pid}`);
    fill(
      groupsBody,
      health.groups.length === 0
        ? empty("No sense groups", 5)
        : health.groups.map((g) =>
            h(
              "tr",
              { "data-group": g.name },
              h("td", null, h("strong", null, g.name)),
              h("td", { class: "num mono" }, g.pid ?? "–"),
              h("td", { class: "num" }, g.restarts),
              h(
                "td",
                null,
                g.disabled
                  ? pill("disabled")
                  : g.pid === null
                    ? pill("starting", "amber")
                    : pill("running"),
              ),
              h("td", { class: "muted" }, g.senses.join(", ")),
            ),
          ),
    );
    fill(
      workflowsBody,
      health.workflows.length === 0
        ? empty("No workflows", 5)
        : health.workflows.map((w) =>
            h(
              "tr",
              { "data-workflow": w.name },
              h(
                "td",
                null,
                h("a", { href: `#/runs?workflow=${encodeURIComponent(w.name)}` }, w.name),
              ),
              h("td", { class: "num mono" }, w.pid ?? "–"),
              h("td", { class: "num" }, w.active),
              h("td", { class: "num" }, w.queued),
              h(
                "td",
                null,
                w.disabled ? pill("disabled") : pill(w.pid === null ? "idle" : "running"),
              ),
            ),
          ),
    );
  }

  function onStats(s) {
    showHealth(s.health);
    if (last !== null && s.signals >= last.signals) {
      const seconds = Math.max(0.5, (s.ts - last.ts) / 1000);
      xs.push(Math.round(s.ts / 1000));
      signalRate.push((s.signals - last.signals) / seconds);
      computeDeltas.push(Math.max(0, s.computes - last.computes));
      errorDeltas.push(Math.max(0, s.errors - last.errors));
      for (const arr of [computeDeltas, errorDeltas]) if (arr.length > 60) arr.shift();
      computeRate.push(sum(computeDeltas) * (60 / computeDeltas.length));
      errorRate.push(sum(errorDeltas) * (60 / errorDeltas.length));
      for (const arr of [xs, signalRate, computeRate, errorRate])
        if (arr.length > WINDOW) arr.shift();
      signalChart.set(xs, [signalRate]);
      computeChart.set(xs, [computeRate, errorRate]);
      cards.signals.set(signalRate.at(-1).toFixed(1), `${s.signals} since this page opened`);
      cards.computes.set(Math.round(computeRate.at(-1)), `${s.computes} since the daemon started`);
      cards.errors.set(
        Math.round(errorRate.at(-1)),
        `${s.errors} since the daemon started`,
        s.errors > 0 && errorRate.at(-1) > 0,
      );
    }
    last = s;
  }

  get("overview").then(showHealth, (error) => identity.replaceChildren(String(error.message)));
  const stop = stream({ topics: ["stats"], on: { stats: onStats }, onstate: setConn });
  return () => {
    stop();
    signalChart.destroy();
    computeChart.destroy();
  };
}

function card(label, unit) {
  const value = h("div", { class: "value" }, "–");
  const sub = h("div", { class: "sub" }, unit);
  const el = h("section", { class: "panel card" }, h("div", { class: "label" }, label), value, sub);
  return {
    el,
    set(v, detail, alarm = false) {
      value.textContent = String(v);
      value.classList.toggle("alarm", alarm);
      sub.textContent = detail ? `${unit} · ${detail}` : unit;
    },
  };
}

function th(text, num = false) {
  return h("th", { class: num ? "num" : null }, text);
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}
