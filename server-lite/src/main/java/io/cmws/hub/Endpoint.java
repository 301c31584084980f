package io.cmws.hub;

/** Which endpoint a connection came in on; each speaks its own part of the protocol. */
public enum Endpoint {
  /** {@code /ws}: every client type, claude-mem's unified protocol plus cmws's extensions. */
  UNIFIED,
  /** {@code /ws/hub}: federated hubs only, claude-mem's {@code hub:*} family (§6.2). */
  FEDERATION
}
