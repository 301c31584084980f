package io.cmws.hub;

import io.cmws.protocol.ErrorCode;
import io.cmws.protocol.ProtocolException;

/** A frame needs a permission the connection lacks; the error frame names it. */
final class PermissionDenied extends ProtocolException {
  private static final long serialVersionUID = 1L;
  private final transient Permission permission;

  PermissionDenied(Permission permission, String action) {
    super(ErrorCode.FORBIDDEN, "Permission '" + permission.wireName() + "' required for " + action);
    this.permission = permission;
  }

  Permission permission() {
    return permission;
  }

  static void require(Connection connection, Permission permission, String action) {
    if (!connection.has(permission)) {
      throw new PermissionDenied(permission, action);
    }
  }

  static void requireEither(
      Connection connection, Permission one, Permission other, String action) {
    if (!connection.has(one) && !connection.has(other)) {
      throw new PermissionDenied(one, action);
    }
  }
}
