package io.cmws.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecutorRegistryTest {

  @Test
  void looksUpByTypeThenCapabilityThenStar() {
    ExecutorRegistry registry =
        ExecutorRegistry.build(
            List.of("resize=shell:./resize.sh", "gpu=http:http://127.0.0.1:9/run", "*=echo"),
            List.of());
    assertEquals("shell", registry.find("resize", "gpu").orElseThrow().name());
    assertEquals("http", registry.find("other", "gpu").orElseThrow().name());
    assertEquals("echo", registry.find("other", "other").orElseThrow().name());
    assertEquals(Set.of("resize", "gpu"), registry.keys());
  }

  @Test
  void builtInsServeCapabilitiesNamedAfterThem() {
    ExecutorRegistry empty = ExecutorRegistry.build(List.of(), List.of());
    assertEquals("echo", empty.find("echo", "echo").orElseThrow().name());
    assertEquals("sleep", empty.find("x", "sleep").orElseThrow().name());
    assertTrue(empty.find("x", "y").isEmpty());
  }

  @Test
  void refusesBadMappingsWithTheReason() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ExecutorRegistry.build(List.of("noequals"), List.of()))
            .getMessage()
            .contains("KEY=SPEC"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ExecutorRegistry.build(List.of("a=ftp:x"), List.of()))
            .getMessage()
            .contains("unknown executor 'ftp:x'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ExecutorRegistry.build(List.of("a=java:nope"), List.of()))
            .getMessage()
            .contains("no plugin executor named 'nope'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ExecutorRegistry.build(List.of("a=echo", "a=sleep"), List.of()));
  }
}
