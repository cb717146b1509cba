// The daemon's JSON endpoints and its one event stream.

let csrf = null;

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  if (response.status === 401) {
    document.body.dataset.auth = "refused";
    throw new HttpError(
      401,
      "the dashboard needs its token: open the address `nerve dashboard` prints",
    );
  }
  const body = response.headers.get("content-type")?.includes("json")
    ? await response.json()
    : null;
  if (!response.ok) {
    const message = body?.message ?? response.statusText;
    throw new HttpError(response.status, Array.isArray(message) ? message.join("; ") : message);
  }
  return body;
}

/** GET /api/<path> with a query of defined, non-empty values. */
export async function get(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return answer(await fetch(`/api/${path}${qs ? `?${qs}` : ""}`, { credentials: "same-origin" }));
}

/** POST with the CSRF token (fetched once per page load). */
export async function post(path) {
  if (csrf === null) csrf = (await get("session")).csrf;
  return answer(
    await fetch(`/api/${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "x-nerve-csrf": csrf },
    }),
  );
}

/**
 * The live stream for one page: `topics` it shows, `sense` to narrow it, `on` its handlers by
 * event name. EventSource reconnects by itself; `onstate` hears "live" / "connecting" / "down".
 */
export function stream({ topics, sense, on, onstate }) {
  const params = new URLSearchParams({ topics: topics.join(",") });
  if (sense) params.set("sense", sense);
  const source = new EventSource(`/api/events?${params}`);
  source.onopen = () => onstate?.("live");
  source.onerror = () =>
    onstate?.(source.readyState === EventSource.CLOSED ? "down" : "connecting");
  for (const [event, handler] of Object.entries(on)) {
    source.addEventListener(event, (e) => handler(JSON.parse(e.data)));
  }
  return () => source.close();
}
