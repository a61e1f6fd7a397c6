package dev.beckon.storage.jdbc;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.delivery.spi.Claim;
import dev.beckon.delivery.spi.ClaimedRow;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.delivery.spi.RowCounts;
import dev.beckon.delivery.spi.RowPage;
import dev.beckon.delivery.spi.RowUpdate;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link dev.beckon.delivery.DeliveryQueue} in one table of your database, beside the
 * references of {@link JdbcReferenceRepository}.
 *
 * <pre>{@code
 * JdbcDeliveryQueue queue = JdbcDeliveryQueue.builder(dataSource).build();
 * queue.createSchema(); // once, or run queue.schemaScript() with your migration tool
 *
 * // the transactional outbox: the job's result and the promise to tell the user commit together
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   markJobDone(c, jobId);
 *   queue.schedule(c, reference.key(), Activity.message("Your report is ready"), Instant.now(), "report-" + jobId);
 *   c.commit();
 * }
 * }</pre>
 *
 * <p><b>Dialects.</b> PostgreSQL 12+ and MariaDB 10.6+ / MySQL 8+ claim with {@code SELECT … FOR
 * UPDATE SKIP LOCKED} in one short transaction: any number of worker processes claim side by side
 * without waiting on each other. On MariaDB that needs the index on {@code (state, not_before,
 * key_hash)} the schema creates (InnoDB skips locked rows only along an index serving the claim's
 * {@code ORDER BY}). H2 and SQLite are <b>single node</b>: claims compare-and-set row by row, which
 * is correct under concurrency but contends; use them for one process (SQLite has one writer).
 *
 * <p><b>Stored schema</b> ({@code queue-schema-<dialect>.sql}, shipped in this jar): {@code
 * key_hash} (SHA-256 of the delivery key, primary key), {@code delivery_key}, {@code channel_id},
 * {@code conversation_id}, {@code payload} (the activity's canonical JSON), {@code state}, {@code
 * attempts}, {@code not_before}, {@code first_due}, {@code created_at}, {@code updated_at}, {@code
 * lease_token}, {@code lease_until}, {@code last_outcome}, {@code activity_id}; times are epoch
 * milliseconds (UTC). Every row read back is untrusted: the base class validates it.
 *
 * <p>Thread-safe. Never closes the data source; each call borrows one connection.
 */
public final class JdbcDeliveryQueue extends AbstractDeliveryQueue {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_deliveries";

  private static final RetryStrategy DEADLOCKS =
      RetryStrategy.builder()
          .maxAttempts(5)
          .backoff(Backoff.exponential(Duration.ofMillis(2), Duration.ofMillis(100)))
          .deadline(Duration.ofSeconds(5))
          .build();

  private final JdbcTable table;
  private final boolean skipLocked;

  private JdbcDeliveryQueue(Builder b) {
    super(b.clock);
    this.table =
        new JdbcTable(
            this, b.dataSource, b.tableName, b.dialect, "queue-", b.queryTimeout, DEADLOCKS);
    this.skipLocked = "skipLocked".equals(table.sql.getProperty("claim.mode"));
  }

  /**
   * Starts a builder.
   *
   * @param dataSource your data source; never closed by the queue
   * @return the builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The table this queue uses.
   *
   * @return the validated table name
   */
  public String tableName() {
    return table.name;
  }

  /**
   * The SQL dialect in use.
   *
   * @return the dialect
   */
  public Dialect dialect() {
    return table.dialect;
  }

  /**
   * The classpath resource of a dialect's queue DDL.
   *
   * @param dialect the dialect
   * @return e.g. {@code dev/beckon/storage/jdbc/queue-schema-postgresql.sql}
   */
  public static String schemaResource(Dialect dialect) {
    return JdbcTable.RESOURCES + "queue-schema-" + dialect.name().toLowerCase(Locale.ROOT) + ".sql";
  }

  /**
   * The DDL of this queue's table in its dialect, with the table name filled in, for your migration
   * tool if you do not call {@link #createSchema()}.
   *
   * @return the SQL script, statements separated by {@code ;}
   */
  public String schemaScript() {
    return table.schemaScript();
  }

  /**
   * Creates the table and its indexes if they do not exist; an existing table is left as it is.
   *
   * @throws StoreException when the DDL fails
   */
  public void createSchema() {
    table.createSchema("deliveries");
  }

  /**
   * Schedules a delivery inside <b>your</b> transaction (the transactional outbox): the row is
   * inserted on your connection, which is neither committed, rolled back nor closed here, so it
   * becomes visible to workers exactly when your transaction commits and vanishes if it rolls back.
   * Idempotent by key, as {@link #schedule(ReferenceKey, Activity, Instant, String)}; a duplicate
   * key never aborts your transaction (PostgreSQL and SQLite insert with {@code ON CONFLICT DO
   * NOTHING}; MariaDB and H2 fail only the statement).
   *
   * @param connection your connection, in a transaction of yours (or in auto-commit)
   * @param to the conversation
   * @param what the activity
   * @param notBefore the earliest time to send it
   * @param deliveryKey the key
   * @return true when scheduled, false when the key existed (as far as your transaction sees)
   * @throws StoreException when the insert fails
   * @throws IllegalArgumentException when the key or the activity breaks a limit
   */
  public boolean schedule(
      Connection connection,
      ReferenceKey to,
      Activity what,
      Instant notBefore,
      String deliveryKey) {
    Objects.requireNonNull(connection, "connection");
    QueueRow row = newRow(to, what, notBefore, deliveryKey);
    try {
      return insert(connection, row);
    } catch (SQLException e) {
      throw table.failure(e, "schedule");
    }
  }

  @Override
  protected String location() {
    return table.dialect + " table " + table.name;
  }

  // ------------------------------------------------------------------ the primitives

  @Override
  protected boolean insert(QueueRow row) {
    return table.call("schedule", c -> insert(c, row));
  }

  private boolean insert(Connection c, QueueRow row) throws SQLException {
    try (PreparedStatement ps = table.prepare(c, table.sql.getProperty("insert"))) {
      JdbcTable.bind(ps, columns(row));
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      if ("error".equals(table.sql.getProperty("insert.onDuplicate"))
          && table.matches("error.duplicateKey", e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  protected Optional<QueueRow> read(String keyHash) {
    String read = table.sql.getProperty("read");
    return table
        .call("status", c -> table.query(c, read, List.of(keyHash), 1, JdbcDeliveryQueue::row))
        .stream()
        .findFirst();
  }

  @Override
  protected Optional<RowCounts> countRows(long nowMillis) {
    return table.call(
        "counts",
        c -> {
          try (PreparedStatement ps = table.prepare(c, table.sql.getProperty("counts"))) {
            JdbcTable.bind(ps, List.of(nowMillis, nowMillis));
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.of(RowCounts.EMPTY);
              }
              long pending = rs.getLong(1);
              long dead = rs.getLong(2);
              long oldest = rs.getLong(3);
              boolean none = rs.wasNull(); // of column 3: MIN over no row
              return Optional.of(new RowCounts(pending, dead, none ? Long.MAX_VALUE : oldest));
            }
          }
        });
  }

  @Override
  protected List<ClaimedRow> claimRows(Claim claim) {
    return table.call("claim", c -> skipLocked ? claimLocked(c, claim) : claimCas(c, claim));
  }

  private List<ClaimedRow> claimLocked(Connection c, Claim claim) throws SQLException {
    return JdbcTable.transaction(
        c,
        t -> {
          List<QueueRow> due = select(t, claim, " " + table.sql.getProperty("claim.lock"));
          List<ClaimedRow> out = new ArrayList<>(due.size());
          if (!due.isEmpty()) {
            try (PreparedStatement ps = table.prepare(t, table.sql.getProperty("claim.take"))) {
              for (QueueRow r : due) {
                JdbcTable.bind(
                    ps,
                    List.of(
                        claim.token(), claim.leaseUntilMillis(), claim.nowMillis(), r.keyHash()));
                ps.addBatch();
                out.add(new ClaimedRow(r, claim.token(), r.leaseToken() != null));
              }
              ps.executeBatch();
            }
          }
          return out;
        });
  }

  private List<ClaimedRow> claimCas(Connection c, Claim claim) throws SQLException {
    List<QueueRow> due = select(c, claim, "");
    List<ClaimedRow> out = new ArrayList<>(due.size());
    for (QueueRow r : due) {
      String old = r.leaseToken();
      List<Object> p =
          new ArrayList<>(
              List.of(
                  claim.token(),
                  claim.leaseUntilMillis(),
                  claim.nowMillis(),
                  r.keyHash(),
                  claim.nowMillis(),
                  claim.nowMillis()));
      if (old != null) {
        p.add(old);
      }
      String cas = table.sql.getProperty(old == null ? "claim.casFree" : "claim.casExpired");
      if (table.update(c, cas, p) == 1) {
        out.add(new ClaimedRow(r, claim.token(), old != null));
      }
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
    return out;
  }

  private List<QueueRow> select(Connection c, Claim claim, String lock) throws SQLException {
    String select = table.sql.getProperty("claim.select") + lock;
    List<?> due = List.of(claim.nowMillis(), claim.nowMillis(), claim.limit());
    return table.query(c, select, due, claim.limit(), JdbcDeliveryQueue::row);
  }

  @Override
  protected boolean update(RowUpdate change) {
    List<Object> p = new ArrayList<>();
    p.add(change.state());
    p.add(change.attempts() == RowUpdate.KEEP_ATTEMPTS ? 1 : 0);
    p.add(Math.max(0, change.attempts()));
    p.add(change.notBefore());
    p.add(change.nowMillis());
    p.add(nullable(change.lastOutcome()));
    p.add(nullable(change.activityId()));
    p.add(change.keyHash());
    String statement;
    if (change.expectedToken() != null) {
      statement = table.sql.getProperty("update.token");
      p.add(change.expectedToken());
    } else {
      String marks =
          String.join(", ", java.util.Collections.nCopies(change.expectedStates().size(), "?"));
      statement = table.sql.getProperty("update.state").replace("${states}", marks);
      p.addAll(change.expectedStates());
      p.add(change.nowMillis());
    }
    return table.call("update", c -> table.update(c, statement, p) > 0);
  }

  @Override
  protected int purgeRows(long beforeMillis, int limit) {
    String purge = table.sql.getProperty("purge");
    return table.call("purge", c -> table.update(c, purge, List.of(beforeMillis, limit)));
  }

  @Override
  protected RowPage listRows(@Nullable String state, @Nullable String afterKeyHash, int limit) {
    List<Object> p = new ArrayList<>();
    if (state != null) {
      p.add(state);
    }
    p.add(afterKeyHash == null ? "" : afterKeyHash);
    p.add(limit);
    String statement = table.sql.getProperty(state == null ? "list" : "list.state");
    List<QueueRow> rows =
        table.call("list", c -> table.query(c, statement, p, limit, JdbcDeliveryQueue::row));
    return new RowPage(rows, rows.size() < limit ? null : rows.get(rows.size() - 1).keyHash());
  }

  // ------------------------------------------------------------------ helpers

  private static List<Object> columns(QueueRow r) {
    return Arrays.asList(
        r.keyHash(),
        r.deliveryKey(),
        r.channelId(),
        r.conversationId(),
        r.payload(),
        r.state(),
        r.attempts(),
        r.notBefore(),
        r.firstDue(),
        r.createdAt(),
        r.updatedAt(),
        nullable(r.leaseToken()),
        r.leaseUntil(),
        nullable(r.lastOutcome()),
        nullable(r.activityId()));
  }

  private static QueueRow row(ResultSet rs) throws SQLException {
    return new QueueRow(
        text(rs, 1),
        text(rs, 2),
        text(rs, 3),
        text(rs, 4),
        text(rs, 5),
        text(rs, 6),
        rs.getInt(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11),
        rs.getString(12),
        rs.getLong(13),
        rs.getString(14),
        rs.getString(15));
  }

  /** A NOT NULL column; a NULL smuggled in reads as empty (and fails validation later). */
  private static String text(ResultSet rs, int column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? "" : s;
  }

  private static Object nullable(@Nullable String value) {
    return value == null ? new JdbcTable.Null(Types.VARCHAR) : value;
  }

  /** Configures a {@link JdbcDeliveryQueue}. Not thread-safe: one builder per thread. */
  public static final class Builder {
    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private @Nullable Dialect dialect;
    private Clock clock = Clock.systemUTC();
    private Duration queryTimeout = JdbcReferenceRepository.DEFAULT_QUERY_TIMEOUT;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The table (default {@value #DEFAULT_TABLE_NAME}), optionally schema-qualified.
     *
     * @param value letters, digits and {@code _}, 1 to 48 characters, optionally {@code
     *     schema.table}
     * @return this builder
     */
    public Builder tableName(String value) {
      if (value == null || !JdbcTable.NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "tableName must be [schema.]name of letters, digits and _ (1 to 48 each)");
      }
      this.tableName = value;
      return this;
    }

    /**
     * The dialect, when detection from the product name is not wanted.
     *
     * @param value the dialect
     * @return this builder
     */
    public Builder dialect(Dialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * The queue's clock (default UTC system clock); every process sharing a queue needs clocks in
     * step (NTP), since due times and leases are compared across them.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The timeout of each statement (default 10 s).
     *
     * @param value zero for none, or positive
     * @return this builder
     */
    public Builder queryTimeout(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("queryTimeout must not be negative");
      }
      this.queryTimeout = value;
      return this;
    }

    /**
     * Builds the queue. Without {@link #dialect(Dialect)} this borrows one connection to read the
     * database product name. The table is not checked: a missing table fails its first call.
     *
     * @return the queue
     * @throws StoreException when the dialect cannot be detected
     */
    public JdbcDeliveryQueue build() {
      return new JdbcDeliveryQueue(this);
    }
  }
}
