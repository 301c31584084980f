package io.cmws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start makes of the store a crash left: the epoch, the counters, the lost ranges. */
class SqliteSchemaTest {
  private static final long NOW = 1_000_000;

  private static StoreOptions options(Path dir, boolean fsync) {
    return new StoreOptions(dir, true, StoreOptions.DEFAULT_RETENTION, fsync);
  }

  /** A store whose hub numbered k:x up to 3, reserved up to 7, and died. */
  private static Connection crashedStore(Path dir, String boot) throws SQLException {
    try (Connection db = open(dir)) {
      SqliteSchema.prepare(db, options(dir, false), "epoch-1", 1);
      try (Statement statement = db.createStatement()) {
        statement.execute(
            "INSERT INTO channels (channel, last_seq, reserved) VALUES ('k:x', 3, 7)");
        statement.execute(
            "INSERT INTO channels (channel, last_seq, reserved) VALUES ('k:y', 2, 2)");
      }
      SqliteSchema.setMeta(db, "boot", boot);
      db.commit(); // clean stays false: the hub never closed the store
    }
    return open(dir); // the next start
  }

  private static Connection open(Path dir) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub.db"));
  }

  private static List<String> rows(Connection db, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      while (result.next()) {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          columns.add(result.getString(i));
        }
        rows.add(String.join(" ", columns));
      }
    }
    return rows;
  }

  @Test
  void afterACrashOfTheHubTheEpochStaysAndTheReservedTailIsRecordedAsLost(@TempDir Path dir)
      throws SQLException {
    try (Connection db = crashedStore(dir, BootId.current())) {
      assertEquals("epoch-1", SqliteSchema.prepare(db, options(dir, false), "epoch-2", NOW));
      assertEquals(
          List.of("k:x 7 7", "k:y 2 2"),
          rows(db, "SELECT channel, last_seq, reserved FROM channels ORDER BY channel"),
          "each channel goes on after what it reserved");
      assertEquals(
          List.of("k:x 4 7 " + NOW),
          rows(db, "SELECT channel, from_seq, to_seq, at_ms FROM lost_seqs"));
    }
  }

  @Test
  void afterARestartOfTheMachineWithoutFsyncTheReservationsMayBeGoneSoTheEpochIsNew(
      @TempDir Path dir) throws SQLException {
    try (Connection db = crashedStore(dir, "another-boot")) {
      assertEquals("epoch-2", SqliteSchema.prepare(db, options(dir, false), "epoch-2", NOW));
      assertEquals(List.of(), rows(db, "SELECT * FROM lost_seqs"));
      assertEquals(
          List.of("k:x 7"), rows(db, "SELECT channel, last_seq FROM channels WHERE channel='k:x'"));
    }
  }

  @Test
  void withFsyncTheReservationsSurviveARestartOfTheMachine(@TempDir Path dir) throws SQLException {
    try (Connection db = crashedStore(dir, "another-boot")) {
      assertEquals("epoch-1", SqliteSchema.prepare(db, options(dir, true), "epoch-2", NOW));
      assertEquals(List.of("k:x 4 7"), rows(db, "SELECT channel, from_seq, to_seq FROM lost_seqs"));
    }
  }

  @Test
  void aCleanStopLosesNothingAndKeepsTheEpoch(@TempDir Path dir) throws SQLException {
    try (Connection stopped = crashedStore(dir, BootId.current())) {
      SqliteSchema.setMeta(stopped, "clean", "true"); // what close() leaves
    }
    try (Connection db = open(dir)) {
      assertEquals("epoch-1", SqliteSchema.prepare(db, options(dir, false), "epoch-2", NOW));
      assertEquals(List.of(), rows(db, "SELECT * FROM lost_seqs"));
      assertEquals(
          List.of("k:x 3 3"),
          rows(db, "SELECT channel, last_seq, reserved FROM channels WHERE channel='k:x'"),
          "reserved numbers a clean stop did not use were never handed out");
    }
  }

  @Test
  void withoutPersistedHistoryEveryStartIsANewEpoch(@TempDir Path dir) throws SQLException {
    try (Connection db = crashedStore(dir, BootId.current())) {
      assertNotEquals(
          "epoch-1",
          SqliteSchema.prepare(
              db,
              new StoreOptions(dir, false, StoreOptions.DEFAULT_RETENTION, false),
              "epoch-2",
              NOW));
      assertEquals(List.of(), rows(db, "SELECT * FROM channels"));
    }
  }
}
