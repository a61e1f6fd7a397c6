package dev.beckon.storage.jdbc;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreBuilder;
import dev.beckon.store.spi.StoreErrors;
import dev.beckon.store.spi.StoreResources;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
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
 * dev/beckon/storage/jdbc/schema-<dialect>.sql} ({@link #schemaScript()}), the statements as {@code
 * sql-<dialect>.properties}; a call on a missing table raises {@link
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
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}(\\.[A-Za-z_][A-Za-z0-9_]{0,47})?");
  private static final String RESOURCES = "/dev/beckon/storage/jdbc/";

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

    /**
     * The classpath resource holding this dialect's DDL.
     *
     * @return e.g. {@code dev/beckon/storage/jdbc/schema-postgresql.sql}
     */
    public String schemaResource() {
      return RESOURCES.substring(1) + "schema-" + name().toLowerCase(Locale.ROOT) + ".sql";
    }

    /**
     * The dialect of a product name, as {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * reports it.
     *
     * @param productName e.g. {@code PostgreSQL}, {@code MariaDB}, {@code MySQL}, {@code H2}
     * @return the dialect, or empty for a database this repository does not speak
     */
    public static Optional<Dialect> ofProductName(String productName) {
      String p = productName.toLowerCase(Locale.ROOT);
      boolean maria = p.contains("mariadb") || p.contains("mysql");
      boolean h2 = p.equals("h2") || p.startsWith("h2 ");
      Dialect d = p.contains("postgresql") ? POSTGRESQL : maria ? MARIADB : h2 ? H2 : null;
      return Optional.ofNullable(d == null && p.contains("sqlite") ? SQLITE : d);
    }
  }

  private final DataSource dataSource;
  private final String tableName;
  private final Dialect dialect;
  private final int queryTimeoutSeconds;
  private final Properties sql = new Properties();

  private JdbcReferenceRepository(Builder b, Dialect dialect) {
    super(b.storeOptions());
    this.dataSource = b.dataSource;
    this.tableName = b.tableName;
    this.dialect = dialect;
    this.queryTimeoutSeconds =
        (int) Math.min(Integer.MAX_VALUE, (b.queryTimeout.toMillis() + 999) / 1000);
    for (String name : List.of("sql", "sql-" + dialect.name().toLowerCase(Locale.ROOT))) {
      try {
        sql.load(new StringReader(text(RESOURCES + name + ".properties")));
      } catch (IOException e) {
        throw StoreErrors.failure(this, "build", "its SQL resource is unreadable", e);
      }
    }
  }

  /**
   * Starts a builder.
   *
   * @param dataSource your data source; never closed by the repository
   * @return the builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The table this repository uses.
   *
   * @return the validated table name, as given
   */
  public String tableName() {
    return tableName;
  }

  /**
   * The SQL dialect in use.
   *
   * @return the dialect
   */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * The DDL of this repository's table in its dialect, the shipped {@code schema-<dialect>.sql}
   * with the table name filled in, for your migration tool if you do not call {@link
   * #createSchema()}.
   *
   * @return the SQL script, statements separated by {@code ;}
   */
  public String schemaScript() {
    // PostgreSQL and MariaDB put an index in its table's schema; H2 and SQLite want it qualified
    boolean local = dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
    String index = local ? tableName.substring(tableName.indexOf('.') + 1) : tableName;
    return text("/" + dialect.schemaResource())
        .replace("${table}", tableName)
        .replace("${index}", index);
  }

  /**
   * Creates the table and its index if they do not exist ({@code CREATE ... IF NOT EXISTS}); an
   * existing table is left as it is. Call it once at deployment, or run {@link #schemaScript()}.
   *
   * @throws StoreException when the DDL fails
   */
  public void createSchema() {
    boolean existed = true;
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.setQueryTimeout(Math.max(queryTimeoutSeconds, 60));
      try {
        st.executeQuery("SELECT 1 FROM " + tableName + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        existed = false;
      }
      if (!c.getAutoCommit()) {
        c.rollback(); // a failed statement must not spoil the transaction
      }
      for (String s : schemaScript().replaceAll("(?m)^\\s*--.*$", "").split(";", -1)) {
        if (!s.isBlank()) {
          st.execute(s.strip());
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw StoreErrors.failure(this, "createSchema", describe(e), e);
    }
    if (!existed) {
      LOG.info("Created table {} ({}) for conversation references", tableName, dialect);
    }
  }

  @Override
  protected String location() {
    return dialect + " table " + tableName;
  }

  // ------------------------------------------------------------------ the primitives

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    return rows("find", sql.getProperty("find"), List.of(key.hash())).stream().findFirst();
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    String expected = precondition.version();
    boolean applied =
        expected != null
            ? update("replace", "replace", values(row, false, expected, row.nowMillis())) > 0
            : precondition.kind() == Precondition.Kind.ABSENT
                ? retrying("insertIfAbsent", c -> insertIfAbsent(c, row))
                : update("save", "save", values(row, true)) >= 0; // an upsert always applies
    return applied ? WriteResult.ok() : WriteResult.refusedUnknownVersion();
  }

  private boolean insertIfAbsent(Connection c, RowWrite row) throws SQLException {
    boolean mariadb = dialect == Dialect.MARIADB;
    try {
      return run(
              c, "insertIfAbsent", mariadb ? values(row, true) : values(row, true, row.nowMillis()))
          > 0;
    } catch (SQLException e) {
      if (!matches("error.duplicateKey", e)) {
        throw e;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      // MariaDB's INSERT found a row: reclaim it if expired. H2's MERGE lost to a concurrent
      // insert.
      return mariadb && run(c, "reclaim", values(row, false, row.nowMillis())) > 0;
    }
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    String v = precondition.version();
    if (v == null) {
      return update("delete", "delete", List.of(key.hash(), nowMillis)) > 0
          ? WriteResult.ok()
          : WriteResult.refused(null);
    }
    return update("delete", "deleteVersion", List.of(key.hash(), v, nowMillis)) > 0
        ? WriteResult.ok()
        : WriteResult.refusedUnknownVersion();
  }

  @Override
  protected ScanResult scan(Scan scan) {
    String after = scan.afterKeyHash();
    StringBuilder statement = new StringBuilder(sql.getProperty("list"));
    List<Object> params = new ArrayList<>(List.of(scan.nowMillis()));
    filter(statement, params, " AND channel_id = ?", scan.channelId());
    filter(statement, params, " AND tenant_id = ?", scan.tenantId());
    Segment s = scan.segment();
    if (s != null && s.count() > 1) {
      filter(statement, params, " AND bucket % ? = ?", s.count());
      params.add(s.index());
    }
    filter(statement, params, " AND key_hash > ?", after);
    filter(statement, params, " ORDER BY key_hash LIMIT ?", scan.limit() + 1);
    // MariaDB's PAD SPACE '=' ignores trailing spaces: the base class re-checks exactly
    return ScanResult.keyset(rows("list", statement.toString(), params), scan.limit());
  }

  private static void filter(
      StringBuilder statement, List<Object> params, String sql, @Nullable Object value) {
    if (value != null) {
      statement.append(sql);
      params.add(value);
    }
  }

  @Override
  protected long purge(long nowMillis) {
    List<Object> params = new ArrayList<>();
    for (String p : sql.getProperty("purge.params").split(" ", -1)) {
      params.add(p.equals("now") ? (Object) nowMillis : (Object) PURGE_BATCH);
    }
    long deleted = 0;
    for (int n = PURGE_BATCH; n == PURGE_BATCH; deleted += n) {
      n = update("purgeExpired", "purge", params);
    }
    LOG.debug("purged {} expired references from {}", deleted, tableName);
    return deleted;
  }

  @Override
  protected int batchSize() {
    return BATCH_SIZE;
  }

  @Override
  protected void writeBatch(List<RowWrite> rows) {
    retrying(
        "saveAll",
        c -> {
          boolean autoCommit = c.getAutoCommit();
          c.setAutoCommit(false);
          try (PreparedStatement ps = prepare(c, sql.getProperty("save"))) {
            for (RowWrite row : rows) {
              bind(ps, values(row, true));
              ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
            return rows.size();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(autoCommit);
          }
        });
  }

  // ------------------------------------------------------------------ helpers

  /** A typed SQL {@code NULL} among a statement's values. */
  private record Null(int type) {}

  /** A row's values in statement order, the key first or after the SET values, then extras. */
  private static List<Object> values(RowWrite row, boolean keyFirst, Object... extra) {
    ReferenceDocument d = row.document();
    String tenant = d.tenantId();
    List<Object> values = new ArrayList<>(List.of(d.key().channelId(), d.key().conversationId()));
    values.add(tenant == null ? new Null(Types.VARCHAR) : tenant);
    values.addAll(List.of(d.bucket(), row.version(), row.nowMillis()));
    values.add(row.expires() ? row.expiresAtMillis() : new Null(Types.BIGINT));
    values.add(d.json());
    values.add(keyFirst ? 0 : values.size(), d.keyHash());
    values.addAll(List.of(extra));
    return values;
  }

  /** One step of a call that may fail with an {@link SQLException}. */
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private int update(String operation, String name, List<Object> params) {
    return retrying(operation, c -> run(c, name, params));
  }

  private int run(Connection c, String name, List<Object> params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql.getProperty(name))) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** The rows a query selects, in the columns of {@code find} and {@code list}. */
  private List<StoredRow> rows(String operation, String statement, List<Object> params) {
    return retrying(
        operation,
        c -> {
          List<StoredRow> rows = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, statement)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new StoredRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(6),
                        rs.getString(5),
                        rs.getLong(7)));
              }
            }
          }
          return rows;
        });
  }

  /**
   * Runs a call on a fresh connection, committed when auto-commit is off, again after a deadlock or
   * serialization failure (which rolled it back whole).
   */
  private <T> T retrying(String operation, SqlWork<T> work) {
    RetryStrategy.Retry retry = options().retry().start("jdbc." + operation);
    while (true) {
      try (Connection c = dataSource.getConnection()) {
        T result = work.run(c);
        if (!c.getAutoCommit()) {
          c.commit();
        }
        return result;
      } catch (SQLException e) {
        if (!matches("error.retryable", e)
            || !retry.await(RetryCause.TRANSIENT, null, "SQLState " + e.getSQLState())) {
          throw translate(e, operation);
        }
        LOG.debug("{} on {}: retried after SQLState {}", operation, tableName, e.getSQLState());
      }
    }
  }

  private PreparedStatement prepare(Connection c, String statement) throws SQLException {
    PreparedStatement ps = c.prepareStatement(statement.replace("${table}", tableName));
    // H2 runs "SET QUERY_TIMEOUT" for every setQueryTimeout: it takes it from the URL instead
    if (queryTimeoutSeconds > 0 && dialect != Dialect.H2) {
      ps.setQueryTimeout(queryTimeoutSeconds);
    }
    return ps;
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i) instanceof Null n) {
        ps.setNull(i + 1, n.type());
      } else {
        ps.setObject(i + 1, params.get(i));
      }
    }
  }

  private static String text(String resource) {
    return StoreResources.text(
        JdbcReferenceRepository.class.getResourceAsStream(resource), resource);
  }

  /** Whether an error is of a kind, by the dialect's {@code error.*} pattern. */
  private boolean matches(String kind, SQLException e) {
    String text = e.getSQLState() + ":" + e.getErrorCode() + ":" + e.getMessage();
    return Pattern.compile(sql.getProperty(kind, "$^"), Pattern.DOTALL).matcher(text).matches();
  }

  private StoreException translate(SQLException e, String operation) {
    return matches("error.missingTable", e)
        ? StoreErrors.tableMissing(
            this, operation, "call createSchema() or run " + dialect.schemaResource(), e)
        : StoreErrors.failure(this, operation, describe(e), e);
  }

  private static String describe(SQLException e) {
    return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ": " + e.getMessage();
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
     * Sets the table name (default {@value JdbcReferenceRepository#DEFAULT_TABLE_NAME}), validated,
     * never quoted: up to 48 letters, digits and underscores, not starting with a digit, optionally
     * after a schema name of the same form and a dot ({@code beckon.references}).
     *
     * @param value the table name
     * @return this builder
     * @throws IllegalArgumentException when it is not such a name
     */
    public Builder tableName(String value) {
      if (!IDENTIFIER.matcher(Objects.requireNonNull(value, "tableName")).matches()) {
        throw new IllegalArgumentException(
            "A JDBC table name is [schema.]name, each part 1 to 48 letters, digits or underscores"
                + " not starting with a digit; refused: '"
                + value
                + "'");
      }
      this.tableName = value;
      return this;
    }

    /**
     * Sets the dialect (default: detected from the connection's metadata by {@link #build()}).
     *
     * @param value the dialect
     * @return this builder
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
      if (Objects.requireNonNull(value, "queryTimeout").isNegative()) {
        throw new IllegalArgumentException("queryTimeout must not be negative but was " + value);
      }
      this.queryTimeout = value;
      return this;
    }

    /**
     * Builds the repository. Without {@link #dialect(Dialect)} this borrows one connection to read
     * the database product name. The table is not checked: a missing table fails its first call.
     *
     * @return the repository
     * @throws StoreException when the dialect cannot be detected
     */
    public JdbcReferenceRepository build() {
      Dialect d = dialect;
      String product = "";
      SQLException cause = null;
      if (d == null) {
        try (Connection c = dataSource.getConnection()) {
          product = String.valueOf(c.getMetaData().getDatabaseProductName());
          d = Dialect.ofProductName(product).orElse(null);
        } catch (SQLException e) {
          product = describe(e);
          cause = e;
        }
      }
      if (d == null) {
        String why = "no SQL dialect (PostgreSQL, MariaDB/MySQL, H2, SQLite) detected in '";
        throw StoreErrors.failure(
            "JdbcReferenceRepository", "build", why + product + "': set it with dialect()", cause);
      }
      return new JdbcReferenceRepository(this, d);
    }
  }
}
