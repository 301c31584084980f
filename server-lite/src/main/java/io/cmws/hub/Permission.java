package io.cmws.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a connection may do; the wire names are claude-mem's plus cmws's own. */
public enum Permission {
  SUBSCRIBE("subscribe"),
  BROADCAST("broadcast"),
  TASK_RECEIVE("task:receive"),
  TASK_COMPLETE("task:complete"),
  TASK_SUBMIT("task:submit"),
  FEDERATE("federate"),
  ADMIN("admin");

  private static final Permission[] VALUES = values();

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Permission> fromWireName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.wireName.equals(wanted)).findFirst();
  }

  /** Wire names in declaration order, as {@code auth:success} lists them. */
  public static List<String> wireNames(Set<Permission> permissions) {
    List<String> names = new ArrayList<>(permissions.size());
    for (Permission permission : VALUES) { // a loop: this runs once per authenticated connection
      if (permissions.contains(permission)) {
        names.add(permission.wireName);
      }
    }
    return Collections.unmodifiableList(names);
  }

  public static Set<Permission> all() {
    return Collections.unmodifiableSet(EnumSet.allOf(Permission.class));
  }
}
