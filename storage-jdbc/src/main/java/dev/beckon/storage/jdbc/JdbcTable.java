package dev.beckon.storage.jdbc;

import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import dev.beckon.store.spi.StoreResources;
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
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table of this module over a {@link DataSource}, the JDBC plumbing its stores share: the
 * dialect's statements from {@code <prefix>sql.properties} and {@code
 * <prefix>sql-<dialect>.properties}, its DDL {@code <prefix>schema-<dialect>.sql}, calls on a fresh
 * connection each (committed when auto-commit is off, retried after a deadlock or serialization
 * failure), statements with the query timeout, and errors named by the dialect's {@code error.*}
 * patterns over {@code SQLState:vendor code:message}.
 */
final class JdbcTable {

  /** A table name: {@code [schema.]name}, each part 1 to 48 letters, digits or underscores. */
  static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}(\\.[A-Za-z_][A-Za-z0-9_]{0,47})?");

  /** {@link #NAME} in words, for a builder's message. */
  static final String NAME_RULE =
      "a JDBC table name, [schema.]name with each part 1 to 48 letters, digits or underscores,"
          + " not a digit first,";

  /** Where the module's resources are. */
  static final String RESOURCES = "dev/beckon/storage/jdbc/";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcTable.class);

  /** A named parameter, {@code :name}, in a statement of the {@code sql} tables. */
  private static final Pattern PARAMETER = Pattern.compile(":([a-z]+)");

  /** A typed SQL {@code NULL} among a statement's values. */
  record Null(int type) {
    static final Null VARCHAR = new Null(Types.VARCHAR);
    static final Null BIGINT = new Null(Types.BIGINT);
  }

  /** One step of a call, on its connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Reads the current row of a result. */
  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** A statement with {@code :name} parameters, parsed once: its JDBC text and names in order. */
  private record Parsed(String jdbc, List<String> names) {
    static Parsed of(String statement) {
      return new Parsed(
          PARAMETER.matcher(statement).replaceAll("?"),
          PARAMETER.matcher(statement).results().map(m -> m.group(1)).toList());
    }
  }

  /** Most statements parsed and kept ({@link #parsed}): the dialect's, and a listing's variants. */
  private static final int MAX_PARSED = 256;

  // parsing a statement's parameters with a regular expression took more CPU than the rest of a
  // find's own work on an in-process database: each text is parsed once
  private final java.util.concurrent.ConcurrentHashMap<String, Parsed> parsed =
      new java.util.concurrent.ConcurrentHashMap<>();

  final DataSource dataSource;
  final String name;
  final Dialect dialect;
  final Properties sql;
  private final Object owner;
  private final String prefix;
  private final RetryStrategy retry;
  private final int timeoutSeconds;

  /**
   * The table of a store.
   *
   * @param owner the store, which names itself in messages and logs
   * @param given the dialect, or {@code null} to detect it from the database's product name (one
   *     connection borrowed)
   * @param prefix the resources' prefix: {@code ""} or {@code queue-}
   * @param retry retries deadlocks and serialization failures, operation {@code jdbc.<operation>}
   * @throws StoreException when the dialect cannot be detected
   */
  JdbcTable(
      Object owner,
      DataSource dataSource,
      String name,
      @Nullable Dialect given,
      String prefix,
      Duration queryTimeout,
      RetryStrategy retry) {
    this.owner = owner;
    this.dataSource = dataSource;
    this.name = name;
    this.dialect = dialect(dataSource, given, owner.getClass().getSimpleName());
    this.prefix = prefix;
    this.retry = retry;
    this.sql =
        StoreResources.properties(
            List.of(prefix + "sql.properties", prefix + "sql-" + lower(dialect) + ".properties"),
            n -> JdbcTable.class.getResourceAsStream("/" + RESOURCES + n));
    this.timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, (queryTimeout.toMillis() + 999) / 1000);
  }

  /** {@return the classpath resource of the table's DDL, e.g. {@code .../schema-h2.sql}} */
  String schemaResource() {
    return RESOURCES + prefix + "schema-" + lower(dialect) + ".sql";
  }

  /**
   * {@return the DDL, the table's name (and, where an index takes no schema, its own) filled in}
   */
  String schemaScript() {
    boolean local = dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
    String index = local ? name.substring(name.indexOf('.') + 1) : name;
    return StoreResources.text(
            JdbcTable.class.getResourceAsStream("/" + schemaResource()), schemaResource())
        .replace("${table}", name)
        .replace("${index}", index);
  }

  /**
   * Runs the DDL, and logs (as the store, at INFO) when the table was missing before.
   *
   * @param what what the table holds, for the log line, e.g. {@code conversation references}
   */
  void createSchema(String what) {
    if (runSchema()) {
      LoggerFactory.getLogger(owner.getClass())
          .info("Created table {} ({}) for {}", name, dialect, what);
    }
  }

  /** Runs the DDL; {@return whether the table was missing before} */
  private boolean runSchema() {
    return call(
        "createSchema",
        c -> {
          try (Statement st = c.createStatement()) {
            st.setQueryTimeout(Math.max(timeoutSeconds, 60));
            boolean missing = false;
            try {
              st.executeQuery("SELECT 1 FROM " + name + " WHERE 1 = 0").close();
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
  }

  /** {@return a statement of the dialect, the table's name filled in} */
  String statement(String key) {
    return sql.getProperty(key).replace("${table}", name);
  }

  /** {@return a statement's parameters parsed, from the cache while it holds fewer than 256} */
  private Parsed parsed(String statement) {
    Parsed p = parsed.get(statement);
    if (p == null) {
      p = Parsed.of(statement);
      if (parsed.size() < MAX_PARSED) {
        parsed.putIfAbsent(statement, p);
      }
    }
    return p;
  }

  /**
   * Runs a call on a fresh connection, committed when auto-commit is off, again after a deadlock or
   * serialization failure (which rolled it back whole); a failure becomes a {@link StoreException}
   * naming the operation, or the missing table and how to create it.
   */
  <T> T call(String operation, Work<T> work) {
    RetryStrategy.Retry attempts = retry.start("jdbc." + operation);
    while (true) {
      try (Connection c = dataSource.getConnection()) {
        T result = work.run(c);
        if (!c.getAutoCommit()) {
          c.commit();
        }
        return result;
      } catch (SQLException e) {
        if (!matches("error.retryable", e)
            || !attempts.await(RetryCause.TRANSIENT, null, "SQLState " + e.getSQLState())) {
          throw failure(e, operation);
        }
        LOG.debug("{} on {}: retried after SQLState {}", operation, name, e.getSQLState());
      }
    }
  }

  /** {@return a statement prepared with the query timeout (H2 takes it from its URL)} */
  PreparedStatement prepare(Connection c, String statement) throws SQLException {
    PreparedStatement ps = c.prepareStatement(statement.replace("${table}", name));
    if (timeoutSeconds > 0 && dialect != Dialect.H2) { // H2 would run SET QUERY_TIMEOUT each time
      ps.setQueryTimeout(timeoutSeconds);
    }
    return ps;
  }

  /** {@return the rows an update changed} */
  int update(Connection c, String statement, List<?> params) throws SQLException {
    try (PreparedStatement ps = prepare(c, statement)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /**
   * Runs the dialect's update {@code key}, its {@code :name} parameters bound from {@code values};
   * on a duplicate key, what {@code <key>.onDuplicateKey} says: nothing ({@code 0} rows, an empty
   * value), or the update it names instead.
   *
   * @return the rows changed
   */
  int update(Connection c, String key, Map<String, ? extends @Nullable Object> values)
      throws SQLException {
    String statement = statement(key);
    try {
      Parsed p = parsed(statement);
      return update(c, p.jdbc(), named(p, values));
    } catch (SQLException e) {
      String instead = sql.getProperty(key + ".onDuplicateKey");
      if (instead == null || !matches("error.duplicateKey", e)) {
        throw e;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return instead.isEmpty() ? 0 : update(c, instead, values);
    }
  }

  /**
   * Runs the dialect's update {@code key} once per row of values, in one JDBC batch and one
   * transaction.
   *
   * @return the rows of values
   */
  int batch(Connection c, String key, List<? extends Map<String, ? extends @Nullable Object>> rows)
      throws SQLException {
    String statement = statement(key);
    return transaction(
        c,
        t -> {
          Parsed p = parsed(statement);
          try (PreparedStatement ps = prepare(t, p.jdbc())) {
            for (Map<String, ? extends @Nullable Object> row : rows) {
              bind(ps, named(p, row));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return rows.size();
        });
  }

  /** {@return at most {@code max} rows a query selects} */
  <T> List<T> query(Connection c, String statement, List<?> params, int max, RowReader<T> reader)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, statement)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rows.size() < max && rs.next()) {
          rows.add(reader.read(rs));
        }
      }
    }
    return rows;
  }

  /** {@return the rows a query with {@code :name} parameters selects} */
  <T> List<T> query(
      Connection c,
      String statement,
      Map<String, ? extends @Nullable Object> values,
      RowReader<T> reader)
      throws SQLException {
    Parsed p = parsed(statement);
    return query(c, p.jdbc(), named(p, values), Integer.MAX_VALUE, reader);
  }

  /**
   * Runs work in one transaction on its connection: committed when it returns, rolled back when it
   * fails; the connection's auto-commit is restored.
   */
  static <T> T transaction(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** {@return the values of a statement's {@code :name} parameters, in order} */
  private static List<Object> named(
      Parsed statement, Map<String, ? extends @Nullable Object> values) {
    List<Object> params = new ArrayList<>(statement.names().size());
    for (String n : statement.names()) {
      params.add(Objects.requireNonNull(values.get(n), () -> "no value :" + n));
    }
    return params;
  }

  /** Binds values in order, a {@link Null} as a typed {@code NULL}. */
  static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i) instanceof Null n) {
        ps.setNull(i + 1, n.type());
      } else {
        ps.setObject(i + 1, params.get(i));
      }
    }
  }

  /** {@return whether an error is of a kind, by the dialect's {@code error.<kind>} pattern} */
  boolean matches(String kind, SQLException e) {
    String text = e.getSQLState() + ":" + e.getErrorCode() + ":" + e.getMessage();
    return Pattern.compile(sql.getProperty(kind, "$^"), Pattern.DOTALL).matcher(text).matches();
  }

  /** {@return the exception for a failed operation: the missing table, or the database's words} */
  StoreException failure(SQLException e, String operation) {
    return matches("error.missingTable", e)
        ? StoreErrors.tableMissing(
            owner, operation, "call createSchema() or run " + schemaResource(), e)
        : StoreErrors.failure(owner, operation, describe(e), e);
  }

  /**
   * {@return the dialect given, else the one of the database's product name} Borrows one connection
   * to read it.
   *
   * @param owner the builder's product, for the message, e.g. {@code JdbcDeliveryQueue}
   * @throws StoreException when the dialect cannot be detected
   */
  private static Dialect dialect(DataSource dataSource, @Nullable Dialect given, String owner) {
    if (given != null) {
      return given;
    }
    String product;
    SQLException cause = null;
    try (Connection c = dataSource.getConnection()) {
      product = String.valueOf(c.getMetaData().getDatabaseProductName());
      Dialect d = Dialect.ofProductName(product).orElse(null);
      if (d != null) {
        return d;
      }
    } catch (SQLException e) {
      product = describe(e);
      cause = e;
    }
    String why = "no SQL dialect (PostgreSQL, MariaDB/MySQL, H2, SQLite) detected in '";
    throw StoreErrors.failure(owner, "build", why + product + "': set it with dialect()", cause);
  }

  private static String describe(SQLException e) {
    return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ": " + e.getMessage();
  }

  private static String lower(Dialect dialect) {
    return dialect.name().toLowerCase(Locale.ROOT);
  }
}
