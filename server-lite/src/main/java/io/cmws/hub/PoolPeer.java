package io.cmws.hub;

import io.cmws.protocol.ServerFrame;
import io.cmws.tasks.TaskPeer;

/**
 * A federated hub as the dispatcher's peer: one per hub name, kept across reconnects, so what the
 * hub holds stays its own when its link comes back. Task frames are translated into the {@code
 * hub:*} family for whichever connection is the hub's link now. Called from the dispatcher under
 * its lock; sends never block.
 */
final class PoolPeer implements TaskPeer {
  private final String name;
  private final String id;
  private volatile Connection link;
  private volatile String hubId;

  PoolPeer(String name) {
    this.name = name;
    this.id = "hub:" + name;
  }

  @Override
  public String id() {
    return id;
  }

  String name() {
    return name;
  }

  String hubId() {
    return hubId;
  }

  Connection link() {
    return link;
  }

  /** From now on {@code connection} (registered as {@code newHubId}) is the hub's link. */
  void attach(Connection connection, String newHubId) {
    this.link = connection;
    this.hubId = newHubId;
  }

  /** Clears the link if it is still {@code connection}; true if it was. */
  boolean detach(Connection connection) {
    if (link != connection) {
      return false;
    }
    link = null;
    return true;
  }

  @Override
  public boolean send(ServerFrame frame) {
    Connection current = link;
    if (current == null) {
      return false;
    }
    if (frame instanceof ServerFrame.TaskAssign assign) {
      ServerFrame.AssignedTask task = assign.task();
      return current.send(
          new ServerFrame.HubTaskAssign(
              task.id(),
              task.type(),
              task.payload(),
              task.capability(),
              task.attempt(),
              task.timeoutMs(),
              task.priority()));
    }
    if (frame instanceof ServerFrame.TaskCancel cancel) {
      return current.send(new ServerFrame.HubTaskCancel(cancel.taskId(), cancel.reason()));
    }
    return current.send(frame);
  }
}
