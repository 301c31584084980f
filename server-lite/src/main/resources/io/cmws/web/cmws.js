// cmws browser client: one WebSocket to a cmws hub (or a claude-mem backend), with channel
// subscriptions, publish, tasks, and reconnects that resume each channel from its last seq.
// Framework-free ES module; types in cmws.d.ts. Served by every hub at /cmws.js.

/** Whether `channel` matches `pattern` as the hub matches it (docs/protocol.md §4). */
export function matches(pattern, channel) {
  if (pattern === "*") return true;
  const p = pattern.split(":");
  const c = channel.split(":");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "*" && i === p.length - 1) return c.length > i; // one or more further segments
    if (i >= c.length) return false;
    if (p[i] !== "*" && p[i] !== c[i]) return false;
  }
  return p.length === c.length;
}

/**
 * The WebSocket URL of the hub that served this module: its /api/info names the port, the host is
 * the one the page used (a hub on 0.0.0.0 reports 127.0.0.1).
 */
export async function hubUrl(base = import.meta.url) {
  const info = await (await fetch(new URL("/api/info", base))).json();
  const ws = new URL(info.ws);
  ws.hostname = new URL(base).hostname;
  return ws.toString();
}

/** Connects at once and keeps connecting; see cmws.d.ts for the options. */
/** `seq 4–1000 of k:x may be lost in a crash of the hub`, as `cmws subscribe` says it. */
function lostInWords(lost) {
  const ranges = lost.map((r) => `seq ${r.from === r.to ? r.from : `${r.from}\u2013${r.to}`} of ${r.channel}`);
  return `${ranges.join(", ")} may be lost in a crash of the hub`;
}

export function connect(options = {}) {
  return new CmwsClient(options);
}

export class CmwsClient {
  constructor(options) {
    this.options = { initialDelayMs: 500, maxDelayMs: 15000, requestTimeoutMs: 10000, ...options };
    this.state = { status: "connecting", attempt: 0 };
    this._subs = new Set(); // {patterns, onEvent}
    this._stateListeners = new Set();
    this._recoveryListeners = new Set();
    this._pending = new Map(); // request id -> {resolve, reject, timer}
    this._results = new Map(); // task id -> {resolve, reject}
    this._subscribeReplies = []; // FIFO of {resolve, reconnect}
    this._lastSeq = new Map(); // channel -> last seq seen, within this._epoch
    this._epoch = null;
    this._serverTime = 0; // the hub's clock: newest event or reply time seen
    this._everConnected = false;
    this._nextId = 1;
    this._closed = false;
    this._open();
  }

  /** Calls `listener(state)` now and on every change; returns a function that stops it. */
  onState(listener) {
    this._stateListeners.add(listener);
    listener(this.state);
    return () => this._stateListeners.delete(listener);
  }

  /**
   * Calls `listener({recovered, replayed, lost, reason})` after each reconnect's resubscribe;
   * `lost` lists the seq ranges a crash of the hub may have lost ({channel, from, to}).
   */
  onRecovery(listener) {
    this._recoveryListeners.add(listener);
    return () => this._recoveryListeners.delete(listener);
  }

  /** Delivers events on `patterns` to `onEvent` until the returned function is called. */
  subscribe(patterns, onEvent, { last = 0 } = {}) {
    const list = Array.isArray(patterns) ? [...patterns] : [patterns];
    const sub = { patterns: list, onEvent };
    this._subs.add(sub);
    if (this.state.status === "connected") {
      this._sendSubscribe(list, { last, reconnect: false });
    }
    return () => {
      if (!this._subs.delete(sub)) return;
      const still = new Set([...this._subs].flatMap((s) => s.patterns));
      const gone = list.filter((p) => !still.has(p));
      if (gone.length && this.state.status === "connected" && this.isCmws) {
        this._send({ type: "unsubscribe", channels: gone });
      }
    };
  }

  /** Publishes; resolves with the hub's ack `{channel, seq}` (needs broadcast). */
  publish(channel, data) {
    return this.request({ type: "publish", channel, data }, "published");
  }

  /**
   * Submits a task (needs task:submit); resolves with `{taskId, deduplicated, result}` where
   * `result` is a promise of the task's final `task:result`.
   */
  async submit(task) {
    const frame = { ...task, type: "task:submit", watch: true };
    const result = {};
    const done = new Promise((resolve, reject) => Object.assign(result, { resolve, reject }));
    done.catch(() => {}); // the caller may not wait for it
    const ack = await this.request(frame, "task:submitted");
    this._results.set(ack.taskId, result);
    return { taskId: ack.taskId, deduplicated: !!ack.deduplicated, result: done };
  }

  /** Sends `frame` with a fresh id; resolves with the reply of `replyType`, rejects on `error`. */
  request(frame, replyType) {
    if (this.state.status !== "connected") {
      return Promise.reject(new Error(`not connected (${this.state.status})`));
    }
    const id = String(this._nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new Error(`no ${replyType} within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      this._pending.set(id, { resolve, reject, timer, replyType });
      this._send({ ...frame, id });
    });
  }

  /** Whether the hub speaks cmws's extensions (seq, replay, publish); false for claude-mem. */
  get isCmws() {
    return this.state.server === "cmws";
  }

  close() {
    this._closed = true;
    clearTimeout(this._retryTimer);
    if (this._ws) this._ws.close(1000, "client closed");
    this._setState({ status: "closed" });
  }

  // ---- connection

  _open() {
    const url = this.options.url ? Promise.resolve(this.options.url) : hubUrl();
    url.then(
      (u) => this._openSocket(u),
      (e) => this._retry(`cannot find the hub: ${e.message}`)
    );
  }

  _openSocket(url) {
    if (this._closed) return;
    this._setState({ status: this._everConnected ? "reconnecting" : "connecting", url });
    const Ws = this.options.WebSocket || WebSocket;
    let ws;
    try {
      ws = new Ws(url);
    } catch (e) {
      this._retry(e.message);
      return;
    }
    this._ws = ws;
    ws.onmessage = (m) => this._receive(m.data);
    ws.onclose = (c) => {
      if (this._ws !== ws) return;
      this._ws = null;
      this._lost(`closed ${c.code}${c.reason ? " " + c.reason : ""}`);
    };
  }

  _lost(why) {
    for (const [, p] of this._pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`connection lost (${why})`));
    }
    this._pending.clear();
    for (const [, r] of this._results) r.reject(new Error(`connection lost before the result (${why})`));
    this._results.clear();
    this._subscribeReplies = [];
    if (this._closed) return;
    if (this.state.status === "refused") return; // a bad token does not get better by retrying
    this._retry(why);
  }

  _retry(why) {
    if (this._closed) return;
    const attempt = (this.state.attempt || 0) + 1;
    const base = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    this._setState({ status: "reconnecting", attempt, retryInMs: delay, retryAt: Date.now() + delay, error: why });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this._open(), delay);
  }

  _setState(change) {
    this.state = { ...this.state, ...change };
    if (change.status && change.status !== "reconnecting") {
      delete this.state.retryInMs;
      delete this.state.retryAt;
    }
    for (const l of this._stateListeners) l(this.state);
  }

  _send(frame) {
    if (this._ws && this._ws.readyState === 1) this._ws.send(JSON.stringify(frame));
  }

  _receive(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    switch (m.type) {
      case "connection:pending":
        return this._authenticate(m);
      case "auth:success":
        return this._connected(m);
      case "auth:failed":
        this._setState({ status: "refused", error: m.reason || "refused" });
        return;
      case "event":
        return this._event(m);
      case "subscribed":
        return this._subscribed(m);
      case "ping":
        return this._send({ type: "pong" });
      case "task:result":
        return this._taskResult(m);
      case "error":
        return this._error(m);
      default:
        return this._reply(m);
    }
  }

  _authenticate(greeting) {
    const server = greeting.server === "cmws" ? "cmws" : "claude-mem";
    this._setState({ server, version: greeting.version });
    const auth = { type: "auth" };
    // claude-mem takes any client with a token for a worker: only cmws gets the token
    if (server === "cmws") {
      auth.clientType = "browser";
      if (this.options.token) auth.token = this.options.token;
    }
    this._send(auth);
  }

  _connected(m) {
    const reconnect = this._everConnected;
    this._everConnected = true;
    this._setState({ status: "connected", clientId: m.clientId, permissions: m.permissions || [], attempt: 0, error: undefined });
    const patterns = [...new Set([...this._subs].flatMap((s) => s.patterns))];
    if (patterns.length) {
      this._sendSubscribe(patterns, { last: 0, reconnect });
    } else if (reconnect) {
      this._recovery({ recovered: true, replayed: 0 });
    }
  }

  _sendSubscribe(patterns, { last, reconnect }) {
    const frame = { type: "subscribe", channels: patterns };
    if (this.isCmws) {
      if (reconnect && this._epoch) {
        frame.recover = { epoch: this._epoch, since: Object.fromEntries(this._lastSeq), after: this._serverTime };
      } else {
        frame.last = last;
      }
    }
    this._subscribeReplies.push({ reconnect });
    this._send(frame);
  }

  _subscribed(m) {
    const waiting = this._subscribeReplies.shift() || { reconnect: false };
    if (m.serverTime) this._serverTime = Math.max(this._serverTime, m.serverTime);
    if (m.epoch && m.epoch !== this._epoch) {
      this._epoch = m.epoch;
      this._lastSeq.clear(); // positions of another epoch mean nothing here
    }
    if (!waiting.reconnect) return;
    if (!this.isCmws) {
      this._recovery({ recovered: false, replayed: 0, reason: "the hub keeps no history (claude-mem): events while away are lost" });
    } else {
      const lost = Array.isArray(m.lost) ? m.lost : [];
      this._recovery({
        recovered: m.recovered !== false,
        replayed: m.replayed || 0,
        lost,
        reason: m.recovered !== false ? undefined
          : lost.length ? lostInWords(lost)
          : "some events while away are no longer kept by the hub",
      });
    }
  }

  _recovery(report) {
    for (const l of this._recoveryListeners) l(report);
  }

  _event(m) {
    if (typeof m.seq === "number") {
      const last = this._lastSeq.get(m.channel);
      if (last !== undefined && m.seq <= last) return; // seen already (replay overlap)
      this._lastSeq.set(m.channel, m.seq);
    }
    if (typeof m.timestamp === "number") this._serverTime = Math.max(this._serverTime, m.timestamp);
    const event = { channel: m.channel, data: m.data, timestamp: m.timestamp, seq: m.seq, replayed: !!m.replayed, via: m.via, pattern: m.pattern };
    for (const sub of this._subs) {
      if (sub.patterns.some((p) => matches(p, m.channel))) {
        try {
          sub.onEvent(event);
        } catch (e) {
          console.error("cmws: an event handler threw", e);
        }
      }
    }
  }

  _taskResult(m) {
    const waiting = this._results.get(m.taskId);
    if (!waiting) return;
    this._results.delete(m.taskId);
    waiting.resolve(m);
  }

  _reply(m) {
    const p = m.id !== undefined ? this._pending.get(String(m.id)) : undefined;
    if (!p) return;
    this._pending.delete(String(m.id));
    clearTimeout(p.timer);
    p.resolve(m);
  }

  _error(m) {
    const p = m.id !== undefined ? this._pending.get(String(m.id)) : undefined;
    if (p) {
      this._pending.delete(String(m.id));
      clearTimeout(p.timer);
      const e = new Error(m.message || "refused");
      e.code = m.code;
      e.frame = m;
      p.reject(e);
      return;
    }
    if (m.request === "subscribe") this._subscribeReplies.shift();
    console.warn("cmws:", m.message, m);
  }
}
