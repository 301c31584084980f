// The cmws viewer: live events, tasks, workers and channels of the hub that serves this page.
// Plain ES module over /cmws.js; the tables also read the hub's /api (admin).
import { connect, hubUrl } from "/cmws.js";

const MAX_EVENTS = 500;
const MAX_TASKS = 50;
const REFRESH_MS = 2000;
const TOKEN_KEY = "cmws.token";
const TABLE_CHANNELS = ["task:*", "worker:*"];
const TASK_STATES = { pending: "queued", assigned: "running" };
const TASK_EVENTS = {
  "task:queued": "queued",
  "task:assigned": "running",
  "task:retrying": "queued",
  "task:completed": "completed",
  "task:failed": "failed",
  "task:cancelled": "cancelled",
};

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
};

const view = {
  client: null,
  url: null,
  patterns: [],
  unsubscribeEvents: null,
  paused: false,
  heldWhilePaused: [],
  shown: 0,
  dropped: 0,
  filter: "",
  lastEvent: null,
  tasks: new Map(),
  workers: new Map(),
  channels: new Map(),
  tablesAllowed: true,
  channelsPending: false,
};

// ---- connection

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || undefined;
}

function start() {
  if (view.client) view.client.close();
  const client = connect({ url: view.url, token: token() });
  view.client = client;
  client.onState(showState);
  client.onRecovery(showRecovery);
  client.subscribe(TABLE_CHANNELS, tableEvent);
  resubscribe();
}

function resubscribe() {
  if (view.unsubscribeEvents) view.unsubscribeEvents();
  view.unsubscribeEvents = view.patterns.length ? view.client.subscribe(view.patterns, userEvent) : null;
  renderPatterns();
}

let countdown;
function showState(state) {
  const status = $("status");
  status.dataset.status = state.status;
  clearInterval(countdown);
  const text = () => {
    switch (state.status) {
      case "connected":
        return `connected as ${state.clientId} · ${(state.permissions || []).join(", ") || "no permissions"}` +
          (state.server === "claude-mem" ? " · claude-mem (no replay)" : "");
      case "reconnecting": {
        const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
        return `reconnecting in ${seconds} s (attempt ${state.attempt})` + (state.error ? ` · ${state.error}` : "");
      }
      case "refused":
        return `refused: ${state.error} · give another token`;
      case "closed":
        return "closed";
      default:
        return `connecting to ${state.url || "the hub"}…`;
    }
  };
  status.textContent = text();
  if (state.status === "reconnecting") countdown = setInterval(() => (status.textContent = text()), 250);
  const permissions = state.status === "connected" ? state.permissions || [] : [];
  $("publish-section").hidden = !permissions.includes("broadcast");
  document.body.classList.toggle("can-cancel", permissions.includes("admin") || permissions.includes("task:submit"));
  renderTasks();
}

function showRecovery(report) {
  const banner = $("banner");
  banner.dataset.kind = report.recovered ? "recovered" : "partial";
  $("banner-text").textContent = report.recovered
    ? `Reconnected: every missed event was recovered (${report.replayed} replayed).`
    : `Reconnected, but the replay was partial: ${report.reason}. Events may be missing.`;
  banner.hidden = false;
}

// ---- events

function userEvent(event) {
  if (event === view.lastEvent) return; // one event matching two of our patterns
  view.lastEvent = event;
  noteChannel(event);
  if (view.paused) {
    view.heldWhilePaused.push(event);
    if (view.heldWhilePaused.length > MAX_EVENTS) {
      view.heldWhilePaused.shift();
      view.dropped++;
    }
  } else {
    addEvent(event);
  }
  renderCounts();
}

function addEvent(event) {
  const list = $("events");
  list.prepend(eventItem(event));
  view.shown++;
  while (list.children.length > MAX_EVENTS) {
    list.lastElementChild.remove();
    view.dropped++;
  }
}

function eventItem(event) {
  const json = JSON.stringify(event.data);
  const item = el("li", { className: event.replayed ? "replayed" : "" });
  item.dataset.channel = event.channel;
  if (event.seq !== undefined) item.dataset.seq = event.seq;
  item.dataset.text = `${event.channel} ${json}`.toLowerCase();
  item.hidden = !passesFilter(item);
  const time = new Date(event.timestamp || Date.now()).toISOString().slice(11, 23);
  const details = el(
    "details",
    {},
    el(
      "summary",
      {},
      el("span", { className: "time", textContent: time }),
      el("span", { className: "channel", textContent: event.channel, title: event.via ? `via ${event.via.join(" → ")}` : "" }),
      el("span", { className: "seq", textContent: event.seq === undefined ? "" : `#${event.seq}` }),
      el("span", { className: "preview", textContent: json === undefined ? "" : json.slice(0, 200) })
    )
  );
  details.addEventListener("toggle", () => {
    if (details.open && !details.querySelector("pre")) {
      details.append(el("pre", { textContent: JSON.stringify(event, null, 2) }));
    }
  });
  item.append(details);
  return item;
}

function passesFilter(item) {
  return !view.filter || item.dataset.text.includes(view.filter);
}

function renderCounts() {
  const parts = [`${$("events").children.length} shown`];
  if (view.paused) parts.push(`${view.heldWhilePaused.length} new while paused`);
  if (view.dropped) parts.push(`${view.dropped} older dropped (the list keeps ${MAX_EVENTS})`);
  $("counts").textContent = parts.join(" · ");
}

function setPaused(paused) {
  view.paused = paused;
  const button = $("pause");
  button.setAttribute("aria-pressed", String(paused));
  button.textContent = paused ? "Resume" : "Pause";
  if (!paused) {
    view.heldWhilePaused.forEach(addEvent);
    view.heldWhilePaused = [];
  }
  renderCounts();
}

function renderPatterns() {
  const list = $("patterns");
  list.replaceChildren(
    ...view.patterns.map((pattern) => {
      const remove = el("button", { type: "button", textContent: "×", title: `Unsubscribe from ${pattern}` });
      remove.setAttribute("aria-label", `Unsubscribe from ${pattern}`);
      remove.addEventListener("click", () => setPatterns(view.patterns.filter((p) => p !== pattern)));
      return el("li", {}, el("span", { textContent: pattern }), remove);
    })
  );
  const query = view.patterns.length ? "?subscribe=" + view.patterns.map(encodeURIComponent).join(",") : "";
  history.replaceState(null, "", location.pathname + query.replace(/%2A/g, "*").replace(/%3A/g, ":"));
}

function setPatterns(patterns) {
  view.patterns = [...new Set(patterns.map((p) => p.trim()).filter(Boolean))];
  resubscribe();
}

// ---- tables

function tableEvent(event) {
  const data = event.data || {};
  if (event.channel.startsWith("task:") && data.taskId) {
    const state = TASK_EVENTS[event.channel];
    const task = view.tasks.get(data.taskId) || { id: data.taskId };
    view.tasks.delete(data.taskId); // re-inserted: newest activity first
    view.tasks.set(data.taskId, {
      ...task,
      type: data.taskType || task.type,
      state: state || task.state,
      attempt: data.attempt ?? task.attempt,
      worker: data.workerId || task.worker,
      error: data.error || (state === "completed" ? "" : task.error),
    });
    renderTasks();
  } else if (event.channel === "worker:connected" && data.workerId) {
    view.workers.set(data.workerId, { id: data.workerId, capabilities: data.capabilities || [], running: [] });
    renderWorkers();
  } else if (event.channel === "worker:disconnected" && data.workerId) {
    view.workers.delete(data.workerId);
    renderWorkers();
  }
  noteChannel(event);
}

/** A channel's last seq as events show it, between two refreshes of the channels table. */
function noteChannel(event) {
  const channel = view.channels.get(event.channel) || { channel: event.channel, subscribers: "" };
  if (event.seq !== undefined) channel.seq = Math.max(channel.seq || 0, event.seq);
  view.channels.set(event.channel, channel);
  if (!view.channelsPending) {
    view.channelsPending = true;
    requestAnimationFrame(() => {
      view.channelsPending = false;
      renderChannels();
    });
  }
}

async function api(path) {
  const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
  const response = await fetch(path, { headers });
  if (response.status === 401 || response.status === 403) {
    const body = await response.json().catch(() => ({}));
    throw Object.assign(new Error(body.error || response.statusText), { denied: true });
  }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function refreshTables() {
  try {
    const [tasks, workers, channels] = await Promise.all([
      api(`/api/tasks?limit=${MAX_TASKS}`),
      api("/api/workers"),
      api("/api/channels"),
    ]);
    view.tablesAllowed = true;
    $("tables-note").hidden = true;
    const fresh = new Map();
    for (const t of (tasks.tasks || []).slice().reverse()) {
      fresh.set(t.id, {
        id: t.id,
        type: t.type,
        state: TASK_STATES[t.state] || t.state,
        attempt: t.attempt,
        worker: t.workerId || "",
        error: t.error || "",
      });
    }
    for (const [id, t] of view.tasks) if (!fresh.has(id)) fresh.set(id, t); // newer than the list
    view.tasks = new Map([...fresh].slice(-MAX_TASKS));
    view.workers = new Map((workers.workers || []).map((w) => [w.id, w]));
    view.channels = new Map((channels.channels || []).map((c) => [c.channel, c]));
    renderTasks();
    renderWorkers();
    renderChannels();
  } catch (e) {
    view.tablesAllowed = !e.denied;
    const note = $("tables-note");
    note.hidden = false;
    note.textContent = e.denied
      ? `Tables from live events only: ${e.message}. Give a token with admin for the full lists.`
      : `Tables not refreshed: ${e.message}`;
    renderChannels();
  }
}

function cell(text, className = "") {
  return el("td", { textContent: text ?? "", title: text ?? "", className });
}

function renderTasks() {
  const canCancel = document.body.classList.contains("can-cancel");
  const rows = [...view.tasks.values()].reverse().map((task) => {
    const row = el(
      "tr",
      {},
      cell(task.id.slice(0, 8)),
      cell(task.type),
      cell(task.state, `state-${task.state}`),
      cell(task.attempt),
      cell(task.worker),
      cell(task.error)
    );
    row.dataset.taskId = task.id;
    row.dataset.state = task.state || "";
    const actions = el("td");
    if (canCancel && (task.state === "queued" || task.state === "running")) {
      const cancel = el("button", { type: "button", textContent: "Cancel" });
      cancel.setAttribute("aria-label", `Cancel task ${task.id}`);
      cancel.addEventListener("click", () =>
        view.client
          .request({ type: "task:cancel", taskId: task.id, reason: "cancelled in the viewer" }, "task:info")
          .catch((e) => alert(`Cannot cancel: ${e.message}`))
      );
      actions.append(cancel);
    }
    row.append(actions);
    return row;
  });
  $("tasks").tBodies[0].replaceChildren(...rows);
}

function renderWorkers() {
  const rows = [...view.workers.values()].map((w) =>
    el(
      "tr",
      {},
      cell(w.id),
      cell((w.capabilities || []).join(", ")),
      cell(`${(w.running || []).length}${w.concurrency ? "/" + w.concurrency : ""}`),
      cell(w.latencyMs === undefined ? "" : `${w.latencyMs} ms`)
    )
  );
  $("workers").tBodies[0].replaceChildren(...rows);
}

function renderChannels() {
  const rows = [...view.channels.values()]
    .sort((a, b) => a.channel.localeCompare(b.channel))
    .map((c) => {
      const show = el("button", { type: "button", textContent: "History" });
      show.setAttribute("aria-label", `History of ${c.channel}`);
      show.disabled = !view.tablesAllowed;
      show.addEventListener("click", () => showHistory(c.channel));
      return el("tr", {}, cell(c.channel), cell(c.seq), cell(c.subscribers), el("td", {}, show));
    });
  $("channels").tBodies[0].replaceChildren(...rows);
}

async function showHistory(channel) {
  const box = $("history");
  $("history-title").textContent = `Last events of ${channel}`;
  try {
    const reply = await api(`/api/history?channel=${encodeURIComponent(channel)}&last=20`);
    $("history-events").replaceChildren(...(reply.events || []).reverse().map(eventItem));
  } catch (e) {
    $("history-events").replaceChildren(el("li", { textContent: e.message }));
  }
  box.hidden = false;
}

// ---- forms and keys

function wire() {
  $("subscribe-form").addEventListener("submit", (e) => {
    e.preventDefault();
    setPatterns([...view.patterns, ...$("pattern").value.split(",")]);
    $("pattern").value = "";
  });
  $("filter").addEventListener("input", (e) => {
    view.filter = e.target.value.trim().toLowerCase();
    for (const item of $("events").children) item.hidden = !passesFilter(item);
  });
  $("pause").addEventListener("click", () => setPaused(!view.paused));
  $("clear").addEventListener("click", () => {
    $("events").replaceChildren();
    view.dropped = 0;
    renderCounts();
  });
  $("banner-close").addEventListener("click", () => ($("banner").hidden = true));
  $("history-close").addEventListener("click", () => ($("history").hidden = true));
  $("token-button").addEventListener("click", () => {
    $("token-input").value = "";
    $("token-dialog").showModal();
  });
  $("token-dialog").addEventListener("close", () => {
    const choice = $("token-dialog").returnValue;
    if (choice === "use" && $("token-input").value) sessionStorage.setItem(TOKEN_KEY, $("token-input").value);
    if (choice === "forget") sessionStorage.removeItem(TOKEN_KEY);
    $("token-input").value = "";
    if (choice === "use" || choice === "forget") {
      start();
      refreshTables();
    }
  });
  $("publish-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $("publish-result");
    try {
      const ack = await view.client.publish($("publish-channel").value.trim(), JSON.parse($("publish-data").value));
      out.textContent = `published ${ack.channel} #${ack.seq}`;
    } catch (err) {
      out.textContent = `not published: ${err.message}`;
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      e.preventDefault();
      $("filter").focus();
    } else if (e.key === "p") {
      setPaused(!view.paused);
    }
  });
}

async function main() {
  wire();
  const info = await (await fetch("/api/info")).json();
  $("hub-name").textContent = info.hub ? `· ${info.hub}` : "";
  document.title = `cmws viewer · ${info.hub || location.host}`;
  view.url = await hubUrl(location.href);
  const wanted = new URLSearchParams(location.search).get("subscribe");
  view.patterns = wanted ? [...new Set(wanted.split(",").map((p) => p.trim()).filter(Boolean))] : [];
  start();
  renderCounts();
  refreshTables();
  setInterval(() => {
    if (document.visibilityState === "visible") refreshTables();
  }, REFRESH_MS);
}

main().catch((e) => {
  $("status").dataset.status = "closed";
  $("status").textContent = `cannot start: ${e.message}`;
});
