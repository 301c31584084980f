package io.cmws.tasks;

import io.cmws.protocol.ServerFrame;

/**
 * A connection the task side talks to: a worker, or a submitter waiting for a result. Called from
 * the dispatcher, under its lock, on whatever thread drives it; {@link #send} only queues.
 */
public interface TaskPeer {
  String id();

  /** Queues a frame; false if the connection is gone. Never blocks. */
  boolean send(ServerFrame frame);
}
