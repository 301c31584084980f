// Types of /cmws.js, the cmws browser client. Served by every hub at /cmws.d.ts.

/** An event as the hub delivers it. */
export interface CmwsEvent<T = unknown> {
  channel: string;
  data: T;
  /** The hub's clock, epoch ms. */
  timestamp: number;
  /** Per-channel sequence number (cmws hubs; absent from claude-mem). */
  seq?: number;
  /** True for events replayed after a reconnect. */
  replayed: boolean;
  /** The hubs it passed through, for events from federated hubs. */
  via?: string[];
  /** The subscription pattern that matched at the hub. */
  pattern?: string;
}

export type Status = "connecting" | "connected" | "reconnecting" | "refused" | "closed";

export interface ConnectionState {
  status: Status;
  url?: string;
  /** "cmws", or "claude-mem" for a backend without cmws's extensions. */
  server?: "cmws" | "claude-mem";
  version?: string;
  clientId?: string;
  permissions?: string[];
  /** Reconnect attempts since the last success. */
  attempt: number;
  /** While reconnecting: the delay, and when (epoch ms) the next attempt starts. */
  retryInMs?: number;
  retryAt?: number;
  /** Why the last connection ended or was refused. */
  error?: string;
}

/** After each reconnect: whether every event missed while away was replayed. */
export interface Recovery {
  recovered: boolean;
  replayed: number;
  reason?: string;
}

export interface ConnectOptions {
  /** The hub's WebSocket URL; default: the hub that served this module ({@link hubUrl}). */
  url?: string;
  /** A token: its permissions replace a page's default (subscribe only). cmws hubs only. */
  token?: string;
  /** First reconnect delay (default 500 ms), doubled per attempt up to maxDelayMs (15 s), with jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long publish, submit and request wait for their reply (default 10 s). */
  requestTimeoutMs?: number;
  /** A WebSocket implementation, e.g. for Node.js (`ws`). */
  WebSocket?: unknown;
}

export interface TaskRequest {
  taskType: string;
  payload?: unknown;
  capability?: string;
  fallbackCapabilities?: string[];
  priority?: number;
  maxRetries?: number;
  timeoutMs?: number;
  deduplicationKey?: string;
  preferHub?: string;
  region?: string;
  labels?: Record<string, string>;
}

export interface TaskResult {
  type: "task:result";
  taskId: string;
  state: "completed" | "failed" | "cancelled";
  result?: unknown;
  error?: string;
  attempt?: number;
}

export interface Submitted {
  taskId: string;
  deduplicated: boolean;
  /** The final outcome; rejects if the connection is lost first. */
  result: Promise<TaskResult>;
}

/** An error frame from the hub, as a rejection. */
export interface CmwsError extends Error {
  code?: string;
  frame?: Record<string, unknown>;
}

export declare class CmwsClient {
  readonly state: ConnectionState;
  readonly isCmws: boolean;
  onState(listener: (state: ConnectionState) => void): () => void;
  onRecovery(listener: (recovery: Recovery) => void): () => void;
  /** `last`: replay the newest N kept events of the matching channels first. */
  subscribe<T = unknown>(
    patterns: string | string[],
    onEvent: (event: CmwsEvent<T>) => void,
    options?: { last?: number }
  ): () => void;
  publish(channel: string, data: unknown): Promise<{ type: "published"; channel: string; seq: number }>;
  submit(task: TaskRequest): Promise<Submitted>;
  request<R = Record<string, unknown>>(frame: Record<string, unknown>, replyType: string): Promise<R>;
  close(): void;
}

export declare function connect(options?: ConnectOptions): CmwsClient;
export declare function hubUrl(base?: string): Promise<string>;
export declare function matches(pattern: string, channel: string): boolean;
