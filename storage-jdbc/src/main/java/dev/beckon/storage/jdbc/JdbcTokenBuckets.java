package dev.beckon.storage.jdbc;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.ratelimit.bucket4j.Bucket4jTokenBuckets;
import dev.beckon.ratelimit.bucket4j.BucketStateStore;
import dev.beckon.ratelimit.bucket4j.StoredState;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet-wide token buckets in a database table, kept by Bucket4j: the {@link TokenBuckets} under
 * {@link SendLimiter#fleet}. Every process that uses the same table and limiter prefix shares the
 * limits. PostgreSQL and MariaDB/MySQL for fleets; H2 and SQLite work but are single node.
 *
 * <pre>{@code
 * JdbcTokenBuckets buckets = JdbcTokenBuckets.builder(dataSource).build(); // table beckon_rate_limits
 * buckets.createSchema();                // once, or run buckets.schemaScript() in your migrations
 * SendLimiter limiter = SendLimiter.fleet(buckets, "mybot", RateProfile.teams(), 0.1);
 * }</pre>
 *
 * <p>Bucket4j's JDBC vendor modules are not used (they are not published for Bucket4j 8.17); this
 * class plugs the table into Bucket4j's own compare-and-swap SPI through {@code
 * Bucket4jTokenBuckets} (beckon-ratelimit-bucket4j): Bucket4j computes every bucket state, and a
 * row is written only if its {@code version} is still the one read (autocommit statements, no lock
 * held between them). The table: {@code name} (primary key, at most 80 characters), {@code state}
 * (Bucket4j's serialized state, binary), {@code version}, {@code expires_at} (epoch millis: when
 * the bucket would be full again, plus 10 s). A row is written per conversation sent to, so the
 * expired ones are purged as the buckets are used: at most once per {@link Builder#purgeInterval
 * purge interval} (default 1 minute) per instance, one {@code tryTake} also deletes up to {@value
 * #PURGE_BATCH} expired rows (a failed purge is logged and tried again an interval later; the
 * permit is unaffected). A busy fleet purges faster than it writes; {@link #purgeExpired()} deletes
 * every expired row at once, for a maintenance job or after a long idle spell.
 *
 * <p>A row is hostile input: a state is fetched only when the database measures it at 4 KiB or
 * less, and read only when it is a state this class writes for the same limits (same size, same
 * configuration, tokens within capacity). Any other row fails the call with a {@link
 * StoreException} naming the bucket, and is deleted so that the bucket starts afresh (full).
 *
 * <p>Bucket4j's arithmetic runs on each process's clock: keep the clocks in step (NTP).
 * Thread-safe; the {@code DataSource} is yours and is never closed.
 */
public final class JdbcTokenBuckets implements TokenBuckets {

  /** The default table. */
  public static final String DEFAULT_TABLE_NAME = "beckon_rate_limits";

  /** The most expired rows one automatic purge deletes. */
  public static final int PURGE_BATCH = 1000;

  /** The default {@link Builder#purgeInterval}: 1 minute. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenBuckets.class);

  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}(\\.[A-Za-z_][A-Za-z0-9_]{0,47})?");

  private final DataSource dataSource;
  private final String table;
  private final Dialect dialect;
  private final Clock clock;
  private final int queryTimeoutSeconds;
  private final long purgeIntervalMillis;
  private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);
  private final Bucket4jTokenBuckets buckets;

  private JdbcTokenBuckets(Builder b, Dialect dialect) {
    this.dataSource = b.dataSource;
    this.table = b.tableName;
    this.dialect = dialect;
    this.clock = b.clock;
    this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, b.queryTimeout.toSeconds());
    this.purgeIntervalMillis = b.purgeInterval.toMillis();
    this.buckets = Bucket4jTokenBuckets.over(new Rows(), this, "row");
  }

  /**
   * Starts a builder.
   *
   * @param dataSource your pool; never closed by Beckon
   * @return the builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The table's name.
   *
   * @return the table
   */
  public String tableName() {
    return table;
  }

  /**
   * The DDL of the table for this dialect (for your migration tool).
   *
   * @return the statement
   */
  public String schemaScript() {
    String binary =
        switch (dialect) {
          case POSTGRESQL -> "BYTEA";
          case MARIADB -> "VARBINARY(8192)";
          default -> "BLOB";
        };
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " (name VARCHAR(80) NOT NULL PRIMARY KEY, state "
        + binary
        + " NOT NULL, version BIGINT NOT NULL, expires_at BIGINT NOT NULL)";
  }

  /**
   * Creates the table if it does not exist.
   *
   * @throws StoreException when the database refuses
   */
  public void createSchema() {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(schemaScript());
    } catch (SQLException e) {
      throw StoreErrors.failure(this, "createSchema", e);
    }
  }

  /**
   * Deletes the buckets that have expired (they would be full again): they are recreated full when
   * next used, which is the same.
   *
   * @return how many were deleted
   * @throws StoreException when the database refuses
   */
  public int purgeExpired() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM " + table + " WHERE expires_at < ?")) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setLong(1, clock.millis());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw StoreErrors.failure(this, "purgeExpired", e);
    }
  }

  /**
   * Once per purge interval (one caller wins the turn, the others go on at once): deletes up to
   * {@value #PURGE_BATCH} expired rows. Never fails the caller.
   */
  private void maybePurge() {
    if (purgeIntervalMillis <= 0) {
      return;
    }
    long now = clock.millis();
    long next = nextPurge.get();
    if (now < next || !nextPurge.compareAndSet(next, now + purgeIntervalMillis)) {
      return;
    }
    // MariaDB refuses LIMIT in an IN subquery but has DELETE ... LIMIT; the others the reverse
    String sql =
        dialect == Dialect.MARIADB
            ? "DELETE FROM " + table + " WHERE expires_at < ? LIMIT " + PURGE_BATCH
            : "DELETE FROM "
                + table
                + " WHERE name IN (SELECT name FROM "
                + table
                + " WHERE expires_at < ? LIMIT "
                + PURGE_BATCH
                + ")";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setLong(1, now);
      int n = ps.executeUpdate();
      LOG.debug("{} purged {} expired buckets", this, n);
    } catch (SQLException | RuntimeException e) {
      LOG.warn(
          "{} could not purge expired buckets (next try in {} ms): {}",
          this,
          purgeIntervalMillis,
          e.toString());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>At most once per {@link Builder#purgeInterval purge interval}, the call also deletes up to
   * {@value #PURGE_BATCH} expired rows.
   *
   * @throws StoreException when the database fails, or when the bucket's row cannot be read (see
   *     {@link #giveBack}); the message names the bucket
   */
  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    long wait = buckets.tryTake(name, limits);
    maybePurge();
    return wait;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A row is read only if it is a state this class could have written for these limits (see the
   * class comment): at most 4 KiB (longer states are not fetched), the same configuration, tokens
   * within capacity. Any other row is deleted, so that the bucket starts afresh (full) at the next
   * call, and this call fails with a {@link StoreException} naming the bucket: nothing is granted
   * on a row that cannot be read.
   *
   * @throws StoreException when the database fails, or when the bucket's row cannot be read
   */
  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    buckets.giveBack(name, limits);
  }

  @Override
  public String toString() {
    return "JdbcTokenBuckets[" + table + ", " + dialect + "]";
  }

  /** The table's bounded read, versioned write and delete: one autocommit statement each. */
  private final class Rows implements BucketStateStore {

    @Override
    public StoredState read(String name) {
      // the database measures the state and sends it only when it is small enough
      String length = dialect == Dialect.SQLITE ? "LENGTH(state)" : "OCTET_LENGTH(state)";
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT CASE WHEN "
                      + length
                      + " <= ? THEN state END, "
                      + length
                      + ", version FROM "
                      + table
                      + " WHERE name = ?")) {
        ps.setQueryTimeout(queryTimeoutSeconds);
        ps.setInt(1, Bucket4jTokenBuckets.MAX_STATE_BYTES);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return StoredState.absent();
          }
          byte[] state = rs.getBytes(1);
          long size = rs.getLong(2);
          long version = rs.getLong(3);
          return state == null ? StoredState.tooLong(size) : StoredState.of(state, version);
        }
      } catch (SQLException e) {
        throw StoreErrors.failure(JdbcTokenBuckets.this, "tryTake", e);
      }
    }

    @Override
    public boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis) {
      long expiresAt = ttlMillis <= 0 ? Long.MAX_VALUE : clock.millis() + ttlMillis;
      try (Connection c = dataSource.getConnection()) {
        if (!read.exists()) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + table
                      + " (name, state, version, expires_at) VALUES (?, ?, 1, ?)")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, name);
            ps.setBytes(2, state);
            ps.setLong(3, expiresAt);
            ps.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (duplicate(e)) {
              return false; // another process created it first: read again
            }
            throw e;
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + table
                    + " SET state = ?, version = ?, expires_at = ? WHERE name = ? AND version = ?")) {
          ps.setQueryTimeout(queryTimeoutSeconds);
          ps.setBytes(1, state);
          ps.setLong(2, read.version() + 1);
          ps.setLong(3, expiresAt);
          ps.setString(4, name);
          ps.setLong(5, read.version());
          return ps.executeUpdate() == 1;
        }
      } catch (SQLException e) {
        throw StoreErrors.failure(JdbcTokenBuckets.this, "tryTake", e);
      }
    }

    @Override
    public void delete(String name) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
        ps.setQueryTimeout(queryTimeoutSeconds);
        ps.setString(1, name);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw StoreErrors.failure(JdbcTokenBuckets.this, "delete", e);
      }
    }
  }

  private static boolean duplicate(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("23"))
        || e.getErrorCode() == 1062
        || e.getErrorCode() == 19;
  }

  /** Configures {@link JdbcTokenBuckets}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private @Nullable Dialect dialect;
    private Clock clock = Clock.systemUTC();
    private Duration queryTimeout = JdbcReferenceRepository.DEFAULT_QUERY_TIMEOUT;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;

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
      if (value == null || !TABLE.matcher(value).matches()) {
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
     * The clock of the rows' expiry (default UTC system clock).
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
     * How often a {@code tryTake} also deletes expired rows, up to {@value #PURGE_BATCH} of them
     * (default {@link #DEFAULT_PURGE_INTERVAL}), on the builder's {@link #clock clock}. Zero turns
     * the automatic purge off: then call {@link JdbcTokenBuckets#purgeExpired()} yourself, or the
     * table keeps a row per conversation ever sent to.
     *
     * @param value zero, or positive
     * @return this builder
     */
    public Builder purgeInterval(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("purgeInterval must be zero or positive");
      }
      this.purgeInterval = value;
      return this;
    }

    /**
     * Builds the buckets. Without {@link #dialect(Dialect)} this borrows one connection to read the
     * database product name.
     *
     * @return the buckets
     * @throws StoreException when the dialect cannot be detected
     */
    public JdbcTokenBuckets build() {
      Dialect d = dialect;
      SQLException cause = null;
      String product = "";
      if (d == null) {
        try (Connection c = dataSource.getConnection()) {
          product = String.valueOf(c.getMetaData().getDatabaseProductName());
          d = Dialect.ofProductName(product).orElse(null);
        } catch (SQLException e) {
          cause = e;
        }
      }
      if (d == null) {
        throw StoreErrors.failure(
            "JdbcTokenBuckets",
            "build",
            "no SQL dialect detected in '" + product + "': set it with dialect()",
            cause);
      }
      return new JdbcTokenBuckets(this, d);
    }
  }
}
