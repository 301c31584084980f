package io.cmws.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmws.protocol.Json;
import io.cmws.tasks.InMemoryTaskQueue;
import io.cmws.tasks.TaskDefaults;
import io.cmws.tasks.TaskDispatcher;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which reports to the parent go again on a new link. */
@Timeout(10)
class UpstreamTasksTest {
  private final UpstreamTasks tasks =
      new UpstreamTasks(
          new TaskDispatcher(
              new InMemoryTaskQueue(TaskDefaults.reference(), 100, 100),
              (channel, data) -> {},
              Clock.systemUTC()),
          TaskDefaults.reference(),
          result -> {});

  private static ObjectNode complete(String taskId) {
    return Json.object().put("type", "hub:task:complete").put("taskId", taskId);
  }

  private static List<String> ids(List<ObjectNode> reports) {
    return reports.stream().map(r -> r.path("taskId").asText()).toList();
  }

  @Test
  void aReportTheOldLinkNeverConfirmedGoesAgainHoweverTheLinkEnded() {
    tasks.sent(complete("p1"));
    tasks.healthSent(); // its acknowledgement never came: the link was cut

    assertEquals(List.of("p1"), ids(tasks.newLink(true)));
    assertEquals(List.of(), ids(tasks.newLink(true)), "sent once per new link, then forgotten");
  }

  @Test
  void aClaudeMemParentGetsNoSecondCopyOfAReportItMayHaveHad() {
    tasks.sent(complete("p1"));
    tasks.healthSent();
    tasks.hold(complete("p2"));

    assertEquals(List.of("p2"), ids(tasks.newLink(false)));
    assertEquals(List.of(), ids(tasks.newLink(true)), "and it is forgotten");
  }

  @Test
  void aReportConfirmedByAHealthAcknowledgementDoesNotGoAgain() {
    tasks.sent(complete("p1"));
    tasks.healthSent();
    tasks.sent(complete("p2"));
    tasks.healthAcknowledged(); // confirms p1 only: p2 went after that health report

    assertEquals(List.of("p2"), ids(tasks.newLink(true)));
  }

  @Test
  void unconfirmedReportsComeBeforeTheOnesKeptWhileThereWasNoLink() {
    tasks.sent(complete("p1"));
    tasks.hold(complete("p2"));

    assertEquals(List.of("p1", "p2"), ids(tasks.newLink(true)));
  }

  @Test
  void aNewerReportOnTheSameTaskReplacesTheUnconfirmedOne() {
    tasks.sent(complete("p1").put("attempt", 1));
    tasks.hold(complete("p1").put("attempt", 2));

    List<ObjectNode> again = tasks.newLink(true);
    assertEquals(1, again.size());
    assertEquals(2, again.get(0).path("attempt").asInt());
  }
}
