package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import java.util.function.Consumer;

/** An in-process subscriber: events go to a listener, replies nowhere. Any thread; never blocks. */
final class ListenerSink implements FrameSink {
  private final Consumer<EventMessage> listener;
  private volatile boolean open = true;

  ListenerSink(Consumer<EventMessage> listener) {
    this.listener = listener;
  }

  @Override
  public boolean sendText(String json) {
    return open;
  }

  @Override
  public boolean sendEvent(EventMessage event, String pattern) {
    if (open) {
      listener.accept(event);
    }
    return open;
  }

  @Override
  public void close(int code, String reason) {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
