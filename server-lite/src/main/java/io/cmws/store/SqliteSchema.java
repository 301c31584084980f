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
  static String prepare(Connection db, StoreOptions options, String freshEpoch, long nowMillis)
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
      if (!hasColumn(db, "channels", "reserved")) { // stores from before seq reservation
        statement.execute("ALTER TABLE channels ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0");
      }
      statement.execute(
          "CREATE TABLE IF NOT EXISTS lost_seqs (channel TEXT NOT NULL, from_seq INTEGER NOT NULL,"
              + " to_seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (channel, from_seq))");
    }
    db.setAutoCommit(false);
    String boot = BootId.current();
    String epoch =
        options.persistHistory() ? epoch(db, freshEpoch, options, boot, nowMillis) : freshEpoch;
    setMeta(db, "clean", "false"); // until close() says otherwise
    if (boot != null) {
      setMeta(db, "boot", boot);
    }
    try (Statement statement = db.createStatement()) {
      if (!options.persistHistory()) {
        statement.execute("DELETE FROM events");
        statement.execute("DELETE FROM channels");
        statement.execute("DELETE FROM lost_seqs");
      }
      // reservations are made afresh: what a clean stop did not use was never handed out
      statement.execute("UPDATE channels SET reserved = last_seq");
    }
    db.commit();
    return epoch;
  }

  /**
   * The history epoch: seq positions from before hold as long as no seq number can be handed out
   * twice. It survives a clean stop. After a crash the newest events may not have reached the disk
   * although subscribers saw them; every seq handed out was reserved durably first, so each channel
   * continues after its reservation and the range in between is recorded as possibly lost. Only if
   * the reservations themselves may be gone (the machine restarted, and commits were not synced to
   * the disk) does a new epoch tell resuming subscribers that their positions no longer hold.
   */
  private static String epoch(
      Connection db, String freshEpoch, StoreOptions options, String boot, long nowMillis)
      throws SQLException {
    String stored = meta(db, "epoch");
    String clean = meta(db, "clean");
    if (stored != null && (clean == null || "true".equals(clean))) {
      return stored;
    }
    if (stored != null && (options.fsync() || (boot != null && boot.equals(meta(db, "boot"))))) {
      int channels = recordLostRanges(db, nowMillis);
      if (channels == 0) {
        LOG.warn("the hub did not stop cleanly; every event it numbered had been stored");
      } else {
        LOG.warn(
            "the hub did not stop cleanly: the newest events of {} channel(s) may be lost; resuming"
                + " subscribers are told which seq numbers (history epoch kept)",
            channels);
      }
      return stored;
    }
    if (stored != null) {
      LOG.warn(
          "the hub did not stop cleanly and the machine restarted: the newest history may be"
              + " missing; new history epoch {}",
          freshEpoch);
      try (Statement statement = db.createStatement()) {
        statement.execute("UPDATE channels SET last_seq = max(last_seq, reserved)");
        statement.execute("DELETE FROM lost_seqs"); // positions of the old epoch mean nothing
      }
    }
    setMeta(db, "epoch", freshEpoch);
    return freshEpoch;
  }

  /**
   * After a crash: the seq numbers reserved but not committed may have been handed out; each
   * channel continues after them. Returns how many channels have such a range.
   */
  private static int recordLostRanges(Connection db, long nowMillis) throws SQLException {
    try (PreparedStatement insert =
            db.prepareStatement(
                "INSERT OR REPLACE INTO lost_seqs (channel, from_seq, to_seq, at_ms)"
                    + " SELECT channel, last_seq + 1, reserved, ? FROM channels"
                    + " WHERE reserved > last_seq");
        Statement statement = db.createStatement()) {
      insert.setLong(1, nowMillis);
      int channels = insert.executeUpdate();
      statement.execute("UPDATE channels SET last_seq = reserved WHERE reserved > last_seq");
      return channels;
    }
  }

  private static boolean hasColumn(Connection db, String table, String column) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rows.next()) {
        if (column.equals(rows.getString("name"))) {
          return true;
        }
      }
      return false;
    }
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
