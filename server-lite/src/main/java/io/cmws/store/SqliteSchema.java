package io.cmws.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's tables and its meta rows: created on first use, and the history epoch decided at
 * every start. Runs once, on the opening thread, before the writer starts.
 */
final class SqliteSchema {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteSchema.class);

  private SqliteSchema() {}

  /** Creates what is missing, marks the store as in use, and returns the history epoch. */
  static String prepare(Connection db, StoreOptions options, String freshEpoch)
      throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=" + (options.fsync() ? "FULL" : "NORMAL"));
      statement.execute(
          "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
              + " finished_at INTEGER, body TEXT NOT NULL)");
      statement.execute("CREATE INDEX IF NOT EXISTS tasks_finished ON tasks(finished_at)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS events (channel TEXT NOT NULL, seq INTEGER NOT NULL,"
              + " ts INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (channel, seq)) WITHOUT ROWID");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS channels (channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)");
    }
    db.setAutoCommit(false);
    String epoch = options.persistHistory() ? epoch(db, freshEpoch) : freshEpoch;
    setMeta(db, "clean", "false"); // until close() says otherwise
    if (!options.persistHistory()) {
      try (Statement statement = db.createStatement()) {
        statement.execute("DELETE FROM events");
        statement.execute("DELETE FROM channels");
      }
    }
    db.commit();
    return epoch;
  }

  /**
   * The history epoch. It survives a clean stop. After a crash the newest events may not have
   * reached the disk although subscribers saw them, so their seq numbers would be handed out again:
   * a new epoch tells resuming subscribers that their positions no longer hold.
   */
  private static String epoch(Connection db, String freshEpoch) throws SQLException {
    String stored = meta(db, "epoch");
    boolean clean = "true".equals(meta(db, "clean"));
    if (stored != null && (clean || meta(db, "clean") == null)) {
      return stored;
    }
    if (stored != null) {
      LOG.warn(
          "the hub did not stop cleanly: the newest history may be missing; new history epoch {}",
          freshEpoch);
    }
    setMeta(db, "epoch", freshEpoch);
    return freshEpoch;
  }

  static String meta(Connection db, String key) throws SQLException {
    try (PreparedStatement select = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  static void setMeta(Connection db, String key, String value) throws SQLException {
    try (PreparedStatement upsert =
        db.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
      upsert.setString(1, key);
      upsert.setString(2, value);
      upsert.executeUpdate();
    }
  }
}
