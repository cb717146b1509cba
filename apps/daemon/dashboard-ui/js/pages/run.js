// A run: its metadata, its thread round by round, and its log rows; live while it runs.
import { get, stream } from "../api.js";
import { dateTime, duration, empty, fill, h, pager, pill, pretty, time, typePill } from "../dom.js";

const LOG_LIMIT = 50;

export function render(main, { id, setConn }) {
  let logOffset = 0;
  const title = h("h1", { class: "mono" }, id);
  const status = h("span");
  const meta = h("dl", { class: "meta" });
  const thread = h("div", { class: "thread", "data-testid": "thread" });
  const logBody = h("tbody");
  const logPager = h("div");
  main.append(
    h("div", { class: "page-head" }, h("a", { href: "#/runs" }, "← Runs"), title, status),
    h(
      "div",
      { class: "split" },
      h("section", { class: "panel" }, h("h2", null, "Thread"), thread),
      h("section", { class: "panel sticky" }, h("h2", null, "Run"), meta),
    ),
    h(
      "section",
      { class: "panel" },
      h("h2", null, "Log"),
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
            h("th", null, "Payload"),
          ),
        ),
        logBody,
      ),
      logPager,
    ),
  );

  function load() {
    get(`runs/${encodeURIComponent(id)}`, { limit: LOG_LIMIT, offset: logOffset }).then(
      show,
      (error) => {
        fill(thread, h("div", { class: "error-box" }, error.message));
      },
    );
  }

  function show({ run, thread: t, logs, total }) {
    fill(status, pill(run.status));
    const item = (k, v, cls) => [h("dt", null, k), h("dd", { class: cls }, v ?? "–")];
    fill(
      meta,
      item("workflow", run.workflow),
      item("status", pill(run.status)),
      item("rounds", `${run.rounds} of at most ${run.maxRounds}`),
      item("created", dateTime(run.createdAt)),
      item("started", run.startedAt ? dateTime(run.startedAt) : null),
      item("ended", run.endedAt ? dateTime(run.endedAt) : null),
      item("took", run.startedAt ? duration((run.endedAt ?? Date.now()) - run.startedAt) : null),
      item("end reason", run.endReason),
      item("source", run.source),
      item("cause", run.causeId, "mono"),
      item("resumes", String(run.resumes)),
      run.error ? item("error", h("div", { class: "error-box" }, run.error)) : null,
    );
    const messages = [];
    if (t.start) {
      messages.push(
        h(
          "div",
          { class: "msg start", "data-round": "0" },
          h(
            "div",
            { class: "msg-head" },
            h("span", { class: "role" }, "start"),
            h("span", { class: "muted" }, time(t.start.ts)),
          ),
          t.start.prompt
            ? h("pre", null, t.start.prompt)
            : h("div", { class: "muted small" }, "no prompt"),
          t.start.payload !== null && t.start.payload !== undefined
            ? h(
                "details",
                { class: "gap-top-s" },
                h("summary", null, "payload"),
                h("pre", { class: "box" }, pretty(t.start.payload)),
              )
            : null,
        ),
      );
    }
    for (const round of t.rounds) {
      messages.push(
        h(
          "div",
          { class: "msg", "data-round": round.round },
          h(
            "div",
            { class: "msg-head" },
            h("span", { class: "muted" }, `round ${round.round}`),
            h("span", { class: "role" }, round.role),
            h("span", { class: "muted" }, time(round.ts)),
          ),
          h("pre", null, pretty(round.content)),
        ),
      );
    }
    if (t.elided)
      messages.unshift(h("div", { class: "muted small" }, `${t.elided} older rounds left out`));
    fill(thread, messages.length ? messages : empty("No messages yet"));
    fill(
      logBody,
      logs.map((row) =>
        h(
          "tr",
          null,
          h("td", { class: "num mono muted" }, row.id),
          h("td", { class: "mono" }, time(row.ts)),
          h("td", null, typePill(row.type)),
          h("td", { class: "muted" }, row.source),
          h("td", { class: "clip mono" }, row.payload === null ? "" : JSON.stringify(row.payload)),
        ),
      ),
    );
    fill(
      logPager,
      pager({ offset: logOffset, limit: LOG_LIMIT, total }, (offset) => {
        logOffset = offset;
        load();
      }),
    );
  }

  load();
  const stop = stream({
    topics: ["log"],
    onstate: setConn,
    on: { log: (batch) => (batch.missed || batch.rows.some((r) => r.refId === id)) && load() },
  });
  return () => stop();
}
