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

    /** {@return this dialect's DDL resource, e.g. {@code dev/beckon/storage/jdbc/schema-h2.sql}} */
    public String schemaResource() {
      return RESOURCES.substring(1) + "schema-" + name().toLowerCase(Locale.ROOT) + ".sql";
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

  /** What a statement's parameters are taken from ({@code row} and {@code set} need the row). */
  private record Args(@Nullable RowWrite row, String key, @Nullable String version, long now) {
    static Args of(RowWrite row, @Nullable String version) {
      return new Args(row, row.document().keyHash(), version, row.nowMillis());
    }
  }

  /** A typed SQL {@code NULL} among a statement's values. */
  private record Null(int type) {}

  /** One step of a call that may fail with an {@link SQLException}. */
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final String tableName;
  private final Dialect dialect;
  private final int queryTimeoutSeconds;
  private final Properties sql;

  private JdbcReferenceRepository(Builder b, Dialect dialect) {
    super(b.storeOptions());
    this.dataSource = b.dataSource;
    this.tableName = b.tableName;
    this.dialect = dialect;
    String lower = dialect.name().toLowerCase(Locale.ROOT);
    this.sql =
        StoreResources.properties(
            List.of(RESOURCES + "sql.properties", RESOURCES + "sql-" + lower + ".properties"),
            JdbcReferenceRepository.class::getResourceAsStream);
    boolean timeouts = !"false".equals(sql.getProperty("statement.timeout"));
    long seconds = timeouts ? (b.queryTimeout.toMillis() + 999) / 1000 : 0;
    this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, seconds);
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
    return tableName;
  }

  /** {@return the SQL dialect in use} */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * {@return the DDL of this repository's table in its dialect, statements separated by {@code ;}}
   * It is the shipped {@code schema-<dialect>.sql} with the table name filled in, for your
   * migration tool if you do not call {@link #createSchema()}.
   */
  public String schemaScript() {
    boolean local = "local".equals(sql.getProperty("schema.index"));
    String index = local ? tableName.substring(tableName.indexOf('.') + 1) : tableName;
    String resource = "/" + dialect.schemaResource();
    return StoreResources.text(
            JdbcReferenceRepository.class.getResourceAsStream(resource), resource)
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
    boolean created =
        retrying(
            "createSchema",
            c -> {
              try (Statement st = c.createStatement()) {
                st.setQueryTimeout(Math.max(queryTimeoutSeconds, 60));
                boolean missing = false;
                try {
                  st.executeQuery("SELECT 1 FROM " + tableName + " WHERE 1 = 0").close();
                } catch (SQLException e) {
                  missing = true;
                }
                if (!c.getAutoCommit()) {
                  c.rollback(); // a failed statement must not spoil the transaction
                }
                for (String s : schemaScript().replaceAll("(?m)^\\s*--.*$", "").split(";", -1)) {
                  if (!s.isBlank()) {
                    st.execute(s.strip());
                  }
                }
                return missing;
              }
            });
    if (created) {
      LOG.info("Created table {} ({}) for conversation references", tableName, dialect);
    }
  }

  @Override
  protected String location() {
    return dialect + " table " + tableName;
  }

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    List<Object> params = params("find", new Args(null, key.hash(), null, 0));
    return rows("find", statement("find"), params).stream().findFirst();
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    String name =
        switch (precondition.kind()) {
          case ANY -> "save";
          case ABSENT -> "insertIfAbsent";
          case VERSION -> "replace";
        };
    Args args = Args.of(row, precondition.version());
    // an upsert always applies (MariaDB counts one that changed nothing as 0 rows)
    boolean applied = retrying(name, c -> update(c, name, args)) > 0 || name.equals("save");
    return applied ? WriteResult.ok() : WriteResult.refusedUnknownVersion();
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    String v = precondition.version();
    Args args = new Args(null, key.hash(), v, nowMillis);
    if (retrying("delete", c -> update(c, v == null ? "delete" : "deleteVersion", args)) > 0) {
      return WriteResult.ok();
    }
    return v == null ? WriteResult.refused(null) : WriteResult.refusedUnknownVersion();
  }

  @Override
  protected ScanResult scan(Scan scan) {
    StringBuilder statement = new StringBuilder(statement("list"));
    List<Object> params = params("list", new Args(null, "", null, scan.nowMillis()));
    filter(statement, params, " AND channel_id = ?", scan.channelId());
    filter(statement, params, " AND tenant_id = ?", scan.tenantId());
    Segment s = scan.segment();
    if (s != null && s.count() > 1) {
      filter(statement, params, " AND bucket % ? = ?", s.count());
      params.add(s.index());
    }
    filter(statement, params, " AND key_hash > ?", scan.afterKeyHash());
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
    Args args = new Args(null, "", null, nowMillis);
    long deleted = 0;
    for (int n = PURGE_BATCH; n == PURGE_BATCH; deleted += n) {
      n = retrying("purgeExpired", c -> update(c, "purge", args));
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
          try (PreparedStatement ps = prepare(c, statement("save"))) {
            for (RowWrite row : rows) {
              bind(ps, params("save", Args.of(row, null)));
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

  /** A statement of the dialect, the table name filled in. */
  private String statement(String name) {
    return sql.getProperty(name).replace("${table}", tableName);
  }

  /** The values of a statement's parameters, in the order its {@code .params} names them. */
  private List<Object> params(String name, Args a) {
    List<Object> values = new ArrayList<>();
    for (String p : sql.getProperty(name + ".params").strip().split("\\s+", -1)) {
      if (p.equals("row") || p.equals("set")) {
        RowWrite row = Objects.requireNonNull(a.row(), "row");
        ReferenceDocument d = row.document();
        String tenant = d.tenantId();
        if (p.equals("row")) {
          values.add(a.key());
        }
        values.addAll(List.of(d.key().channelId(), d.key().conversationId()));
        values.add(tenant == null ? new Null(Types.VARCHAR) : tenant);
        values.addAll(List.of(d.bucket(), row.version(), row.nowMillis()));
        values.add(row.expires() ? row.expiresAtMillis() : new Null(Types.BIGINT));
        values.add(d.json());
        continue;
      }
      values.add(
          switch (p) {
            case "key" -> a.key();
            case "version" -> Objects.requireNonNull(a.version(), "version");
            case "now" -> a.now();
            case "limit" -> PURGE_BATCH;
            default -> throw new IllegalStateException("sql.properties names no value " + p);
          });
    }
    return values;
  }

  /** Runs an update; on a duplicate key, what the dialect's {@code .onDuplicateKey} says. */
  private int update(Connection c, String name, Args args) throws SQLException {
    try (PreparedStatement ps = prepare(c, statement(name))) {
      bind(ps, params(name, args));
      return ps.executeUpdate();
    } catch (SQLException e) {
      String instead = sql.getProperty(name + ".onDuplicateKey");
      if (instead == null || !matches("error.duplicateKey", e)) {
        throw e;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return instead.isEmpty() ? 0 : update(c, instead, args);
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
          throw matches("error.missingTable", e)
              ? StoreErrors.tableMissing(
                  this, operation, "call createSchema() or run " + dialect.schemaResource(), e)
              : StoreErrors.failure(this, operation, describe(e), e);
        }
        LOG.debug("{} on {}: retried after SQLState {}", operation, tableName, e.getSQLState());
      }
    }
  }

  private PreparedStatement prepare(Connection c, String statement) throws SQLException {
    PreparedStatement ps = c.prepareStatement(statement);
    if (queryTimeoutSeconds > 0) {
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

  /** Whether an error is of a kind, by the dialect's {@code error.*} pattern. */
  private boolean matches(String kind, SQLException e) {
    String text = e.getSQLState() + ":" + e.getErrorCode() + ":" + e.getMessage();
    return Pattern.compile(sql.getProperty(kind, "$^"), Pattern.DOTALL).matcher(text).matches();
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
     * never quoted.
     *
     * @param value up to 48 letters, digits and underscores, not starting with a digit, optionally
     *     after a schema name of the same form and a dot ({@code beckon.references})
     * @return this builder
     * @throws IllegalArgumentException when it is not such a name
     */
    public Builder tableName(String value) {
      String shape = "a JDBC table name, [schema.]name with each part 1 to 48 letters, digits or";
      this.tableName =
          requireMatch(value, IDENTIFIER, "tableName", shape + " underscores, not a digit first,");
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
