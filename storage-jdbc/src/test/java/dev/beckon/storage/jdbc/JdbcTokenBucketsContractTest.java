package dev.beckon.storage.jdbc;

import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.testkit.TokenBucketsContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The token-bucket contract kit against each of the four databases, a fresh table per test. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class JdbcTokenBucketsContractTest extends TokenBucketsContract {

  private final Dialect dialect;

  JdbcTokenBucketsContractTest(Dialect dialect) {
    this.dialect = dialect;
  }

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @Override
  protected TokenBuckets createBuckets() {
    JdbcTokenBuckets b =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(dialect))
            .tableName(TestDatabases.freshTableName(dialect))
            .build();
    b.createSchema();
    b.createSchema(); // idempotent
    return b;
  }

  @Override
  protected TokenBuckets sameStore(TokenBuckets buckets) {
    return JdbcTokenBuckets.builder(TestDatabases.dataSource(dialect))
        .tableName(((JdbcTokenBuckets) buckets).tableName())
        .build();
  }

  @Override
  protected int oversizedState() {
    return dialect == Dialect.MARIADB ? 8000 : 1_000_000; // MariaDB's column holds 8 KiB
  }

  @Override
  protected Optional<byte[]> readState(TokenBuckets buckets, String name) {
    String table = ((JdbcTokenBuckets) buckets).tableName();
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT state FROM " + table + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void writeState(TokenBuckets buckets, String name, byte[] state) {
    String table = ((JdbcTokenBuckets) buckets).tableName();
    try (Connection c = TestDatabases.dataSource(dialect).getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO " + table + " (name, state, version, expires_at) VALUES (?, ?, 7, ?)")) {
        ps.setString(1, name);
        ps.setBytes(2, state);
        ps.setLong(3, Long.MAX_VALUE);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
