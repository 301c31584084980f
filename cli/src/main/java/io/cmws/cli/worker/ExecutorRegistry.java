package io.cmws.cli.worker;

import io.cmws.executor.TaskExecutor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which executor runs which task. Mappings are {@code KEY=SPEC}: KEY is a task type, a capability
 * or {@code *}; SPEC is {@code shell:COMMAND}, {@code http:URL}, {@code java:NAME} (a plugin),
 * {@code echo} or {@code sleep}. A task is looked up by its type, then its capability, then {@code
 * *}; a type or capability named {@code echo} or {@code sleep} falls back to the built-in.
 */
final class ExecutorRegistry {
  private final Map<String, TaskExecutor> byKey;

  private ExecutorRegistry(Map<String, TaskExecutor> byKey) {
    this.byKey = byKey;
  }

  /**
   * Parses the mappings; plugin jars are loaded from {@code pluginDirs}. Bad input:
   * IllegalArgumentException.
   */
  static ExecutorRegistry build(List<String> mappings, List<Path> pluginDirs) {
    Map<String, TaskExecutor> plugins = loadPlugins(pluginDirs);
    Map<String, TaskExecutor> byKey = new LinkedHashMap<>();
    for (String mapping : mappings) {
      int eq = mapping.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--executor must look like KEY=SPEC (e.g. 'resize=shell:./resize.sh'), got '"
                + mapping
                + "'");
      }
      String key = mapping.substring(0, eq).trim();
      if (byKey.put(key, executor(mapping.substring(eq + 1).trim(), plugins)) != null) {
        throw new IllegalArgumentException("--executor maps '" + key + "' twice");
      }
    }
    return new ExecutorRegistry(byKey);
  }

  private static TaskExecutor executor(String spec, Map<String, TaskExecutor> plugins) {
    if (spec.equals("echo")) {
      return new EchoExecutor();
    }
    if (spec.equals("sleep")) {
      return new SleepExecutor();
    }
    if (spec.startsWith("shell:") && spec.length() > 6) {
      return new ShellExecutor(spec.substring(6));
    }
    if (spec.startsWith("http:") || spec.startsWith("https:")) {
      String url = spec.startsWith("http:http") ? spec.substring(5) : spec;
      return new HttpExecutor(URI.create(url));
    }
    if (spec.startsWith("java:")) {
      String name = spec.substring(5);
      TaskExecutor plugin = plugins.get(name);
      if (plugin == null) {
        throw new IllegalArgumentException(
            "no plugin executor named '"
                + name
                + "'"
                + (plugins.isEmpty()
                    ? " (no --plugin directory, or no executors in it)"
                    : "; found " + plugins.keySet()));
      }
      return plugin;
    }
    throw new IllegalArgumentException(
        "unknown executor '" + spec + "'; use shell:COMMAND, http:URL, java:NAME, echo or sleep");
  }

  private static Map<String, TaskExecutor> loadPlugins(List<Path> dirs) {
    Map<String, TaskExecutor> plugins = new HashMap<>();
    if (dirs.isEmpty()) {
      return plugins;
    }
    List<URL> jars = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--plugin " + dir + " is not a directory");
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
          jars.add(jar.toUri().toURL());
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read --plugin " + dir + ": " + e.getMessage(), e);
      }
    }
    ClassLoader loader =
        new URLClassLoader(jars.toArray(URL[]::new), TaskExecutor.class.getClassLoader());
    try {
      for (TaskExecutor executor : ServiceLoader.load(TaskExecutor.class, loader)) {
        plugins.put(executor.name(), executor);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException("cannot load a plugin executor: " + e.getMessage(), e);
    }
    return plugins;
  }

  /** The executor for a task, if any. */
  Optional<TaskExecutor> find(String type, String capability) {
    for (String key : new String[] {type, capability, "*"}) {
      if (key != null && byKey.containsKey(key)) {
        return Optional.of(byKey.get(key));
      }
    }
    for (String key : new String[] {type, capability}) {
      if ("echo".equals(key)) {
        return Optional.of(new EchoExecutor());
      }
      if ("sleep".equals(key)) {
        return Optional.of(new SleepExecutor());
      }
    }
    return Optional.empty();
  }

  /** The mapped keys, without {@code *}: the capabilities a worker has when none are given. */
  Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>(byKey.keySet());
    keys.remove("*");
    return keys;
  }
}
