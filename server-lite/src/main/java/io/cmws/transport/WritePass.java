package io.cmws.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames one read of a client produces (replies, events to every subscriber, a replay) go out
 * together when that read has been handled: one write per connection per read, however many frames
 * the read held. Outside a pass (a task outcome, a timer) a frame goes out at once. So batching
 * follows the traffic: a busy publisher's pipelined frames share writes, a lone event is not
 * delayed. One pass per thread; passes nest.
 */
final class WritePass {
  private static final ThreadLocal<WritePass> CURRENT = ThreadLocal.withInitial(WritePass::new);

  private final List<WsFrameSink> waiting = new ArrayList<>();
  private int depth;

  private WritePass() {}

  /** From now until the matching {@link #end()}, this thread's first frames wait for the end. */
  static void begin() {
    CURRENT.get().depth++;
  }

  /** Ends the pass: every connection that got frames in it writes them now. */
  static void end() {
    WritePass pass = CURRENT.get();
    if (--pass.depth > 0) {
      return;
    }
    List<WsFrameSink> sinks = pass.waiting;
    for (int i = 0; i < sinks.size(); i++) {
      sinks.get(i).flush();
    }
    sinks.clear();
  }

  /** True if a pass is open on this thread and will flush {@code sink} at its end. */
  static boolean defer(WsFrameSink sink) {
    WritePass pass = CURRENT.get();
    if (pass.depth == 0) {
      return false;
    }
    pass.waiting.add(sink);
    return true;
  }
}
