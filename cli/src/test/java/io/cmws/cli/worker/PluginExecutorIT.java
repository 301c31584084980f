package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cmws.cli.testing.CmwsProcess;
import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped sample plugin, loaded by a real worker from a --plugin directory. */
class PluginExecutorIT {

  @Test
  void loadsTheSamplePluginAndRunsItsExecutor() throws Exception {
    String plugins = System.getProperty("cmws.testPlugins", "target/test-plugins");
    try (TestHub hub = TestHub.start();
        RawClient client = hub.subscriber("task:progress");
        CmwsProcess worker =
            CmwsProcess.start(
                "worker",
                "--url",
                hub.url().toString(),
                "--capabilities",
                "upper",
                "--plugin",
                plugins,
                "--executor",
                "upper=java:uppercase",
                "--json")) {
      worker.out.await("\"event\":\"registered\"", Duration.ofSeconds(20));
      client
          .send(
              "{\"type\":\"task:submit\",\"taskType\":\"upper\",\"payload\":\"hello plugin\",\"watch\":true}")
          .expect("task:submitted");
      JsonNode progress = client.expect("event");
      assertEquals("converting", progress.get("data").get("message").asText());
      JsonNode result = client.expect("task:result");
      assertEquals("completed", result.get("state").asText());
      assertEquals("HELLO PLUGIN", result.get("result").asText());
    }
  }

  @Test
  void anUnknownPluginNameIsAUsageError() throws Exception {
    try (CmwsProcess worker =
        CmwsProcess.start(
            "worker",
            "--capabilities",
            "x",
            "--plugin",
            System.getProperty("cmws.testPlugins", "target/test-plugins"),
            "--executor",
            "x=java:nope")) {
      assertEquals(2, worker.waitFor(Duration.ofSeconds(20)));
      assertEquals(
          "cmws: no plugin executor named 'nope'; found [uppercase]",
          worker.err.next(Duration.ofSeconds(5)));
    }
  }
}
