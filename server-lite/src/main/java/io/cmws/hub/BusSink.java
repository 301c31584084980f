package io.cmws.hub;

import io.cmws.protocol.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events from the shared bus, every hub's and this one's, into this hub's router. */
final class BusSink implements EventBus.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(BusSink.class);

  private final ChannelRouter router;
  private final Replayer replayer;

  BusSink(ChannelRouter router, Replayer replayer) {
    this.router = router;
    this.replayer = replayer;
  }

  @Override
  public long lastSeq(String channel) {
    return router.lastSeq(channel);
  }

  @Override
  public void event(EventMessage event) {
    router.deliver(event);
  }

  @Override
  public void epochChanged(String epoch) {
    LOG.warn(
        "the shared history was lost (new epoch {}); clients recovering from before get"
            + " recovered:false",
        epoch);
    router.resetHistory();
    replayer.epoch(epoch);
  }
}
