package dev.beckon.storage.jdbc;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreBuilder;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link dev.beckon.store.ReferenceRepository} in one SQL table over plain JDBC: PostgreSQL,
 * MariaDB (and MySQL), H2 and SQLite. You bring the {@link DataSource} (pool, driver, credentials);
 * the repository borrows a connection per call and never closes the data source.
 *
 * <pre>{@code
 * JdbcReferenceRepository repository = JdbcReferenceRepository.builder(dataSource)
 *     .tableName("beckon_references")                               // the default
 *     .options(StoreOptions.defaults().withTtl(Duration.ofDays(90)))
 *     .build();                                                     // detects the dialect
 * repository.createSchema();   // once, at deployment (or run schemaScript() yourself)
 * }</pre>
 *
 * <p>One row per reference, keyed by {@link ReferenceKey#hash()} (64 ASCII characters, so index
 * limits never bite), with the ids, tenant, segment bucket, version, epoch-millisecond (UTC) update
 * and expiry times, and the canonical JSON byte-exact. The DDL ships as {@code
 * dev/beckon/storage/jdbc/schema-<dialect>.sql} ({@link #schemaScript()}), the statements and how
 * the dialects differ as {@code sql-<dialect>.properties}; a call on a missing table raises {@link
 * dev.beckon.store.TableMissingException} naming {@code createSchema()}.
 *
 * <p>Each {@code save}, {@code find}, {@code replace} and {@code delete} is one statement (atomic
 * upserts, never read-then-write); {@code insertIfAbsent} too, but on MariaDB, where a duplicate
 * key takes a second statement to reclaim an expired row. Listings are keyset pages ({@code ORDER
 * BY key_hash}); {@code saveAll} writes JDBC batches of {@value #BATCH_SIZE}, one transaction each;
 * {@link #purgeExpired()} deletes in batches of {@value #PURGE_BATCH}. Every statement has a query
 * timeout ({@link Builder#queryTimeout}). A connection with auto-commit off is committed after each
 * call. Deadlocks and serialization failures are retried by the options' {@link
 * dev.beckon.store.StoreOptions#retry()} (operation {@code jdbc.<operation>}). Thread-safe.
 */
public final class JdbcReferenceRepository extends AbstractReferenceRepository {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_references";

  /** The default query timeout of every statement. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

  /** References per JDBC batch (and transaction) in {@code saveAll}. */
  public static final int BATCH_SIZE = 500;

  /** Rows deleted per statement by {@link #purgeExpired()}. */
  public static final int PURGE_BATCH = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcReferenceRepository.class);

  /** A row of {@code find} and {@code list}, which select the same columns. */
  private static final JdbcTable.RowReader<StoredRow> ROW =
      rs ->
          new StoredRow(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(6),
              rs.getString(5),
              rs.getLong(7));

  /** The SQL dialects the repository speaks. */
  public enum Dialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL,
    /** MariaDB 10.5 or later, and MySQL 8 (same SQL). */
    MARIADB,
    /** H2 2.x (embedded or server). */
    H2,
    /** SQLite 3.35 or later. */
    SQLITE;

    /** {@return this dialect's DDL resource, e.g. {@code dev/beckon/storage/jdbc/schema-h2.sql}} */
    public String schemaResource() {
      return JdbcTable.RESOURCES + "schema-" + name().toLowerCase(Locale.ROOT) + ".sql";
    }

    /**
     * {@return the dialect of a database product, or empty for one this repository does not speak}
     *
     * @param productName as {@link java.sql.DatabaseMetaData#getDatabaseProductName()} reports it
     */
    public static Optional<Dialect> ofProductName(String productName) {
      String p = productName.toLowerCase(Locale.ROOT);
      boolean maria = p.contains("mariadb") || p.contains("mysql");
      boolean h2 = p.equals("h2") || p.startsWith("h2 ");
      Dialect d = p.contains("postgresql") ? POSTGRESQL : maria ? MARIADB : h2 ? H2 : null;
      return Optional.ofNullable(d == null && p.contains("sqlite") ? SQLITE : d);
    }
  }

  private final JdbcTable table;

  private JdbcReferenceRepository(Builder b) {
    super(b.storeOptions());
    this.table =
        new JdbcTable(
            this, b.dataSource, b.tableName, b.dialect, "", b.queryTimeout, options().retry());
  }

  /**
   * {@return a builder}
   *
   * @param dataSource your data source; never closed by the repository
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** {@return the table this repository uses: the validated table name, as given} */
  public String tableName() {
    return table.name;
  }

  /** {@return the SQL dialect in use} */
  public Dialect dialect() {
    return table.dialect;
  }

  /**
   * {@return the DDL of this repository's table in its dialect, statements separated by {@code ;}}
   * It is the shipped {@code schema-<dialect>.sql} with the table name filled in, for your
   * migration tool if you do not call {@link #createSchema()}.
   */
  public String schemaScript() {
    return table.schemaScript();
  }

  /**
   * Creates the table and its index if they do not exist ({@code CREATE ... IF NOT EXISTS}); an
   * existing table is left as it is. Call it once at deployment, or run {@link #schemaScript()}.
   *
   * @throws StoreException when the DDL fails
   */
  public void createSchema() {
    table.createSchema("conversation references");
  }

  @Override
  protected String location() {
    return table.dialect + " table " + table.name;
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    Map<String, @Nullable Object> values = values(key.hash(), 0);
    String find = table.statement("find");
    return table.call("find", c -> table.query(c, find, values, ROW)).stream().findFirst();
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    String name =
        switch (precondition.kind()) {
          case ANY -> "save";
          case ABSENT -> "insertIfAbsent";
          case VERSION -> "replace";
        };
    Map<String, @Nullable Object> values = values(row, precondition.version());
    // an upsert always applies (MariaDB counts one that changed nothing as 0 rows)
    boolean applied =
        table.call(name, c -> table.update(c, name, values)) > 0 || name.equals("save");
    return WriteResult.applied(applied, precondition);
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    Map<String, @Nullable Object> values = values(key.hash(), nowMillis);
    values.put("expected", precondition.version());
    String name = precondition.version() == null ? "delete" : "deleteVersion";
    int removed = table.call("delete", c -> table.update(c, name, values));
    return WriteResult.applied(removed > 0, precondition);
  }

  @Override
  protected ScanResult scan(Scan scan) {
    Segment s = Objects.requireNonNullElse(scan.segment(), Segment.of(0, 1));
    String after =
        Objects.requireNonNullElse(scan.afterKeyHash(), ""); // every key hash is after ""
    Map<String, @Nullable Object> values = values(after, scan.nowMillis());
    values.putAll(Map.of("count", s.count(), "index", s.index(), "limit", scan.limit() + 1));
    values.put("channel", scan.channelId());
    values.put("tenant", scan.tenantId());
    String statement =
        table.statement("list")
            + (scan.channelId() == null ? "" : " AND channel_id = :channel")
            + (scan.tenantId() == null ? "" : " AND tenant_id = :tenant")
            + " ORDER BY key_hash LIMIT :limit";
    // MariaDB's PAD SPACE '=' ignores trailing spaces: the base class re-checks exactly
    List<StoredRow> rows = table.call("list", c -> table.query(c, statement, values, ROW));
    return ScanResult.keyset(rows, scan.limit());
  }

  @Override
  protected long purge(long nowMillis) {
    Map<String, @Nullable Object> values = values("", nowMillis);
    long deleted = 0;
    for (int n = PURGE_BATCH; n == PURGE_BATCH; deleted += n) {
      n = table.call("purgeExpired", c -> table.update(c, "purge", values));
    }
    LOG.debug("purged {} expired references from {}", deleted, table.name);
    return deleted;
  }

  @Override
  protected int batchSize() {
    return BATCH_SIZE;
  }

  @Override
  protected void writeBatch(List<RowWrite> rows) {
    List<Map<String, @Nullable Object>> values =
        rows.stream().map(row -> values(row, null)).toList();
    table.call("saveAll", c -> table.batch(c, "save", values));
  }

  /** The values of a statement's {@code :name} parameters that name a key (see sql.properties). */
  private static Map<String, @Nullable Object> values(String key, long now) {
    return new HashMap<>(Map.of("key", key, "now", now, "limit", PURGE_BATCH));
  }

  /** The values of a statement's {@code :name} parameters that write a row. */
  private static Map<String, @Nullable Object> values(RowWrite row, @Nullable String expected) {
    ReferenceDocument d = row.document();
    Map<String, @Nullable Object> values = values(d.keyHash(), row.nowMillis());
    values.put("expected", expected);
    values.put("channel", d.key().channelId());
    values.put("conversation", d.key().conversationId());
    values.put("tenant", Objects.requireNonNullElse(d.tenantId(), JdbcTable.Null.VARCHAR));
    values.put("bucket", d.bucket());
    values.put("version", row.version());
    values.put("expires", row.expires() ? row.expiresAtMillis() : JdbcTable.Null.BIGINT);
    values.put("payload", d.json());
    return values;
  }

  /** Configures a {@link JdbcReferenceRepository}. Not thread-safe: one builder per thread. */
  public static final class Builder extends StoreBuilder<Builder> {
    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private @Nullable Dialect dialect;
    private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the table name (default {@value #DEFAULT_TABLE_NAME}), validated, never quoted.
     *
     * @param value up to 48 letters, digits and underscores, not starting with a digit, optionally
     *     after a schema name of the same form and a dot ({@code beckon.references})
     * @return this builder
     * @throws IllegalArgumentException when it is not such a name
     */
    public Builder tableName(String value) {
      this.tableName = requireMatch(value, JdbcTable.NAME, "tableName", JdbcTable.NAME_RULE);
      return this;
    }

    /**
     * {@return this builder, with the dialect set} Default: detected by {@link #build()}.
     *
     * @param value the dialect
     */
    public Builder dialect(Dialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * Sets the query timeout of every statement (whole seconds, rounded up; default 10 s). {@link
     * Duration#ZERO} leaves it to the driver's configuration (PostgreSQL {@code socketTimeout} or
     * {@code statement_timeout}, MariaDB {@code socketTimeout}). H2 always takes it from the URL
     * ({@code ;QUERY_TIMEOUT=10000}).
     *
     * @param value a positive duration, or zero for "the driver's own"
     * @return this builder
     */
    public Builder queryTimeout(Duration value) {
      this.queryTimeout = requireNonNegative(value, "queryTimeout");
      return this;
    }

    /**
     * {@return the repository} Without {@link #dialect(Dialect)} this borrows one connection to
     * read the database product name. The table is not checked: a missing table fails its first
     * call.
     *
     * @throws StoreException when the dialect cannot be detected
     */
    public JdbcReferenceRepository build() {
      return new JdbcReferenceRepository(this);
    }
  }
}
