package io.cmws.transport;

import io.cmws.hub.Connection;

/** What the transport attaches to each Java-WebSocket connection. */
record WsPeer(Connection connection, WsFrameSink sink) {}
