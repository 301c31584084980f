package io.cmws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.hub.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SeqReservationsTest {

  private static SqliteStore store(Path dir) throws Exception {
    return SqliteStore.open(
        new StoreOptions(dir, true, StoreOptions.DEFAULT_RETENTION, false), 100, "e", 0);
  }

  /** What another reader of the file sees: only what was committed. */
  private static long reserved(Path dir, String channel) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub.db"));
        PreparedStatement select =
            db.prepareStatement("SELECT reserved FROM channels WHERE channel = ?")) {
      select.setString(1, channel);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  @Test
  void aSeqIsReservedOnDiskBeforeItMayBeHandedOutAndAQuietChannelReservesOneAtATime(
      @TempDir Path dir) throws Exception {
    try (SqliteStore store = store(dir)) {
      SeqReservations reservations = new SeqReservations(store);
      reservations.reserve("k:x", 1);
      assertEquals(1, reserved(dir, "k:x"), "committed before reserve returned, nothing ahead");
    }
  }

  @Test
  void aBusyChannelReservesAheadInGrowingBlocks(@TempDir Path dir) throws Exception {
    try (SqliteStore store = store(dir)) {
      SeqReservations reservations = new SeqReservations(store);
      for (long seq = 1; seq <= 5000; seq++) {
        reservations.reserve("k:x", seq);
      }
      long reserved = reserved(dir, "k:x");
      assertTrue(reserved >= 5000, "every handed-out seq is on disk: " + reserved);
      // the next block is asked for with half of the current one left
      long most = 5000 + SeqReservations.MAX_BLOCK + SeqReservations.MAX_BLOCK / 2;
      assertTrue(reserved <= most, "ahead by at most a block and a half: " + reserved);
    }
  }

  @Test
  void whenTheStoreCannotCommitThePublisherIsToldAndNothingIsTaken(@TempDir Path dir)
      throws Exception {
    SqliteStore store = store(dir);
    SeqReservations reservations = new SeqReservations(store);
    store.close();
    StoreUnavailableException refused =
        assertThrows(StoreUnavailableException.class, () -> reservations.reserve("k:x", 1));
    assertTrue(refused.getMessage().contains("k:x"), refused.getMessage());
  }
}
