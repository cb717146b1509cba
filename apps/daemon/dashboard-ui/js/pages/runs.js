// Runs: the `workflow list` table with workflow and status filters, paged, refreshed live.
import { get, stream } from "../api.js";
import { duration, empty, fill, h, head, pager, pill, shortId, when } from "../dom.js";

const STATUSES = ["queued", "started", "completed", "failed", "crashed", "interrupted", "dropped"];
const LIMIT = 25;

export function render(main, { query, setQuery, setConn }) {
  const state = {
    workflow: query.workflow ?? "",
    status: query.status ?? "",
    offset: Number(query.offset ?? 0) || 0,
  };
  const body = h("tbody", { "data-testid": "runs" });
  const pagerEl = h("div");
  const workflowSelect = h(
    "select",
    { "aria-label": "workflow", onchange: () => change({ workflow: workflowSelect.value }) },
    h("option", { value: "" }, "all workflows"),
  );
  const statusSelect = h(
    "select",
    { "aria-label": "status", onchange: () => change({ status: statusSelect.value }) },
    h("option", { value: "" }, "any status"),
    STATUSES.map((s) => h("option", { value: s }, s)),
  );
  statusSelect.value = state.status;
  main.append(
    head("Runs", h("span", { class: "spacer" }), workflowSelect, statusSelect),
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
            h("th", null, "Run"),
            h("th", null, "Workflow"),
            h("th", null, "Status"),
            h("th", { class: "num" }, "Rounds"),
            h("th", null, "Created"),
            h("th", { class: "num" }, "Took"),
            h("th", null, "Source"),
            h("th", null, "Outcome"),
          ),
        ),
        body,
      ),
      pagerEl,
    ),
  );

  get("overview").then((o) => {
    for (const name of o.workflowNames) workflowSelect.append(h("option", { value: name }, name));
    workflowSelect.value = state.workflow;
  });

  function change(next) {
    Object.assign(state, next, "offset" in next ? {} : { offset: 0 });
    setQuery(state);
    load();
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
    get("runs", {
      workflow: state.workflow,
      status: state.status,
      limit: LIMIT,
      offset: state.offset,
    })
      .then((page) => {
        if (asked !== JSON.stringify(state)) {
          again = true;
          return;
        }
        show(page);
      })
      .catch((error) => fill(body, empty(error.message, 8)))
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          load();
        }
      });
  }

  function show(page) {
    fill(
      body,
      page.runs.length === 0
        ? empty(state.workflow || state.status ? "No runs match these filters" : "No runs yet", 8)
        : page.runs.map((run) =>
            h(
              "tr",
              { "data-run": run.runId },
              h(
                "td",
                null,
                h(
                  "a",
                  { class: "mono", href: `#/runs/${encodeURIComponent(run.runId)}` },
                  shortId(run.runId),
                ),
              ),
              h("td", null, run.workflow),
              h("td", null, pill(run.status)),
              h("td", { class: "num" }, `${run.rounds} / ${run.maxRounds}`),
              h("td", null, when(run.createdAt)),
              h(
                "td",
                { class: "num" },
                run.startedAt ? duration((run.endedAt ?? Date.now()) - run.startedAt) : "–",
              ),
              h("td", { class: "muted" }, run.source),
              h(
                "td",
                { class: "clip" },
                run.error ? h("span", { class: "bad" }, run.error) : (run.endReason ?? ""),
              ),
            ),
          ),
    );
    fill(
      pagerEl,
      pager(page, (offset) => change({ offset })),
    );
  }

  load();
  // A run's status changes are log rows (workflow.*): reload the page when one is committed.
  const stop = stream({
    topics: ["log"],
    onstate: setConn,
    on: {
      log: (batch) =>
        batch.rows.some((r) => r.type.startsWith("workflow.") && r.type !== "workflow.message") &&
        load(),
    },
  });
  return () => stop();
}
