package dev.beckon.storage.jdbc;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link dev.beckon.store.ReferenceRepository} in one SQL table, over plain JDBC: PostgreSQL,
 * MariaDB (and MySQL), H2 and SQLite. You bring the {@link DataSource} (pool, driver, credentials
 * are yours); the repository borrows a connection per call, returns it at once, and never closes
 * the data source.
 *
 * <pre>{@code
 * HikariDataSource dataSource = new HikariDataSource(config);      // any DataSource
 * JdbcReferenceRepository repository = JdbcReferenceRepository.builder(dataSource)
 *     .tableName("beckon_references")                               // the default
 *     .options(StoreOptions.defaults().withTtl(Duration.ofDays(90)))
 *     .build();                                                     // detects the dialect
 * repository.createSchema();   // once, at deployment (or run schema-<dialect>.sql yourself)
 * }</pre>
 *
 * <h2>Table layout</h2>
 *
 * <table>
 *   <caption>Columns of the table (one row per reference)</caption>
 *   <tr><th>column</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code key_hash}</td><td>64 ASCII chars, primary key</td><td>{@link ReferenceKey#hash()}:
 *       hex SHA-256 of the key. Fixed 64 bytes, so MariaDB's 3072-byte index limit never bites,
 *       however long the ids</td></tr>
 *   <tr><td>{@code channel_id}</td><td>TEXT</td><td>the channel id, exactly</td></tr>
 *   <tr><td>{@code conversation_id}</td><td>TEXT</td><td>the conversation id, exactly</td></tr>
 *   <tr><td>{@code tenant_id}</td><td>TEXT, nullable</td><td>{@code conversation.tenantId}</td></tr>
 *   <tr><td>{@code bucket}</td><td>INTEGER</td><td>{@link ReferenceKey#bucket()}, for segments
 *       ({@code bucket % count = index})</td></tr>
 *   <tr><td>{@code version}</td><td>VARCHAR(32)</td><td>random 128-bit token of the last write</td></tr>
 *   <tr><td>{@code updated_at}</td><td>BIGINT</td><td>epoch milliseconds (UTC) of the last write</td></tr>
 *   <tr><td>{@code expires_at}</td><td>BIGINT, nullable, indexed</td><td>epoch milliseconds (UTC);
 *       {@code NULL} without a TTL</td></tr>
 *   <tr><td>{@code payload}</td><td>TEXT (MariaDB MEDIUMTEXT)</td><td>the canonical v4 reference
 *       JSON, byte-exact (deliberately not JSONB, which reformats it)</td></tr>
 * </table>
 *
 * <p>The exact DDL of each dialect ships as {@code dev/beckon/storage/jdbc/schema-<dialect>.sql}
 * ({@code postgresql}, {@code mariadb}, {@code h2}, {@code sqlite}) and is returned by {@link
 * #schemaScript()}; {@link #createSchema()} runs it ({@code CREATE ... IF NOT EXISTS}). A call on a
 * missing table fails with a {@link StoreException} naming the table and {@code createSchema()}.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>{@code save}: one atomic upsert statement (PostgreSQL and SQLite {@code INSERT ... ON
 *       CONFLICT DO UPDATE}, MariaDB {@code INSERT ... ON DUPLICATE KEY UPDATE}, H2 {@code MERGE
 *       INTO ... USING}); never read-then-write, so concurrent saves of one key never fail with a
 *       duplicate key. {@code find}: one {@code SELECT} by primary key.
 *   <li>{@code insertIfAbsent}: one upsert whose update branch only fires over an expired row (an
 *       expired reference counts as absent). On MariaDB, whose affected-row count cannot tell
 *       "kept" from "replaced", it is an {@code INSERT} and, only on a duplicate key, a conditional
 *       {@code UPDATE ... WHERE expires_at <= now}.
 *   <li>{@code replace}: {@code UPDATE ... WHERE key_hash = ? AND version = ? AND not expired};
 *       versioned {@code delete} likewise. Only a failed conditional write reads the row again (for
 *       the conflict's message).
 *   <li>Listing: keyset pagination {@code ORDER BY key_hash} with {@code key_hash > cursor}: stable
 *       under concurrent writes, no {@code OFFSET}. The cursor is opaque and bound to the table and
 *       query.
 *   <li>Expiry: every read filters {@code expires_at > now} (the injected clock); {@link
 *       #purgeExpired()} deletes expired rows in batches of {@value #PURGE_BATCH}.
 *   <li>{@code saveAll}: JDBC batches of {@value #BATCH_SIZE} upserts, one transaction each.
 * </ul>
 *
 * <p>Every statement gets a query timeout ({@link Builder#queryTimeout}, default 10 s; on H2 set
 * {@code ;QUERY_TIMEOUT=ms} in the URL instead). Statements run in auto-commit; a connection handed
 * out with auto-commit off is committed by the repository after each write. Deadlocks reported by
 * the database are retried a few times (the statements are idempotent upserts).
 *
 * <p>Thread-safe: one instance per table, shared by every thread.
 */
public final class JdbcReferenceRepository implements PurgeableRepository {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_references";

  /** The default query timeout of every statement. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

  /** References per JDBC batch (and transaction) in {@link #saveAll}. */
  public static final int BATCH_SIZE = 500;

  /** Rows deleted per statement by {@link #purgeExpired()}. */
  public static final int PURGE_BATCH = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcReferenceRepository.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
  private static final int MAX_ATTEMPTS = 5;

  /** The SQL dialects the repository speaks. */
  public enum Dialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql"),
    /** MariaDB 10.5 or later, and MySQL 8 (same SQL). */
    MARIADB("mariadb"),
    /** H2 2.x (embedded or server). */
    H2("h2"),
    /** SQLite 3.35 or later. */
    SQLITE("sqlite");

    private final String resourceName;

    Dialect(String resourceName) {
      this.resourceName = resourceName;
    }

    /**
     * The classpath resource holding this dialect's DDL.
     *
     * @return e.g. {@code dev/beckon/storage/jdbc/schema-postgresql.sql}
     */
    public String schemaResource() {
      return "dev/beckon/storage/jdbc/schema-" + resourceName + ".sql";
    }

    /**
     * The dialect of a database product name, as {@link
     * java.sql.DatabaseMetaData#getDatabaseProductName()} reports it.
     *
     * @param productName e.g. {@code PostgreSQL}, {@code MariaDB}, {@code MySQL}, {@code H2},
     *     {@code SQLite}
     * @return the dialect, or empty for a database this repository does not speak
     */
    public static Optional<Dialect> ofProductName(String productName) {
      String p = productName.toLowerCase(Locale.ROOT);
      if (p.contains("postgresql")) {
        return Optional.of(POSTGRESQL);
      }
      if (p.contains("mariadb") || p.contains("mysql")) {
        return Optional.of(MARIADB);
      }
      if (p.equals("h2") || p.startsWith("h2 ")) {
        return Optional.of(H2);
      }
      if (p.contains("sqlite")) {
        return Optional.of(SQLITE);
      }
      return Optional.empty();
    }
  }

  private final DataSource dataSource;
  private final String tableName;
  private final Dialect dialect;
  private final StoreOptions options;
  private final int queryTimeoutSeconds;
  private final SqlStatements sql;

  private JdbcReferenceRepository(Builder b, Dialect dialect) {
    this.dataSource = b.dataSource;
    this.tableName = b.tableName;
    this.dialect = dialect;
    this.options = b.options;
    this.queryTimeoutSeconds =
        (int) Math.max(0, Math.min(Integer.MAX_VALUE, (b.queryTimeout.toMillis() + 999) / 1000));
    this.sql = new SqlStatements(dialect, tableName);
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

  // ------------------------------------------------------------------ schema

  /**
   * The DDL of this repository's table in its dialect: the shipped {@code schema-<dialect>.sql}
   * with the table name filled in. Hand it to your migration tool (Flyway, Liquibase) if you do not
   * call {@link #createSchema()}.
   *
   * @return the SQL script, statements separated by {@code ;}
   */
  public String schemaScript() {
    String resource = dialect.schemaResource();
    // Class, not ClassLoader: on the module path a ClassLoader cannot see an encapsulated resource
    try (InputStream in = JdbcReferenceRepository.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new StoreException(
            "Schema resource " + resource + " is missing from the classpath", null);
      }
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int dot = tableName.indexOf('.');
      String local = dot < 0 ? tableName : tableName.substring(dot + 1);
      // PostgreSQL and MariaDB put an index in its table's schema; H2 and SQLite want it qualified
      String index =
          dot >= 0 && (dialect == Dialect.H2 || dialect == Dialect.SQLITE)
              ? tableName.substring(0, dot + 1) + local
              : local;
      return script.replace("${table}", tableName).replace("${index}", index);
    } catch (IOException e) {
      throw new StoreException("Could not read schema resource " + resource, e);
    }
  }

  /**
   * Creates the table and its index if they do not exist (idempotent: {@code CREATE ... IF NOT
   * EXISTS}); an existing table is left as it is. Needs the privilege to create tables. Call it
   * once at deployment time, or run {@link #schemaScript()} with your own tooling instead.
   *
   * @throws StoreException when the DDL fails
   */
  public void createSchema() {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : schemaScript().split("\n", -1)) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String s = current.toString().strip();
        statements.add(s.substring(0, s.length() - 1));
        current.setLength(0);
      }
    }
    boolean existed = tableExists();
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.setQueryTimeout(Math.max(queryTimeoutSeconds, 60));
      for (String s : statements) {
        st.execute(s);
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      if (existed) {
        LOG.debug("schema of {} ({}) is in place", tableName, dialect);
      } else {
        LOG.info("Created table {} ({}) for conversation references", tableName, dialect);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "Could not create table '" + tableName + "' (" + dialect + "): " + describe(e), e);
    }
  }

  /**
   * Whether the table answers a query, on a connection of its own (a failed statement can spoil a
   * transaction).
   */
  private boolean tableExists() {
    try (Connection c = dataSource.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.setQueryTimeout(Math.max(queryTimeoutSeconds, 60));
        st.executeQuery("SELECT 1 FROM " + tableName + " WHERE 1 = 0").close();
        return true;
      } catch (SQLException e) {
        return false;
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback(); // hand the connection back without an open (or aborted) transaction
        }
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Names the backend and the table, e.g. {@code JdbcReferenceRepository[POSTGRESQL table
   * beckon_references]}; never the data source's URL or credentials.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "JdbcReferenceRepository[" + dialect + " table " + tableName + "]";
  }

  // ------------------------------------------------------------------ writes

  @Override
  public StoredReference save(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    long now = options.clock().millis();
    Long expiry = expiryOf(now);
    return retrying(
        "save",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.save)) {
            timeout(ps);
            bindRow(ps, doc, version, now, expiry);
            ps.executeUpdate();
          }
          commitIfNeeded(c);
          return new StoredReference(reference, version);
        });
  }

  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    long now = options.clock().millis();
    Long expiry = expiryOf(now);
    return retrying(
        "insertIfAbsent",
        c -> {
          int rows;
          try (PreparedStatement ps = c.prepareStatement(sql.insertIfAbsent)) {
            timeout(ps);
            bindRow(ps, doc, version, now, expiry);
            if (sql.insertIfAbsentTakesNow) {
              ps.setLong(10, now);
            }
            rows = ps.executeUpdate();
          } catch (SQLException e) {
            rollbackIfNeeded(c);
            if (!isDuplicateKey(e)) {
              throw e;
            }
            // a concurrent insert won (H2's MERGE can report it), or MariaDB's plain INSERT found a
            // row
            rows = dialect == Dialect.MARIADB ? reclaimExpired(c, doc, version, now, expiry) : 0;
          }
          commitIfNeeded(c);
          return rows > 0
              ? Optional.of(new StoredReference(reference, version))
              : Optional.<StoredReference>empty();
        });
  }

  /** One statement's work on a connection. */
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs single-statement work on a fresh connection, again (up to {@link #MAX_ATTEMPTS} times)
   * after a deadlock or serialization failure, which rolled the statement back whole (MariaDB's
   * InnoDB reports one when inserts and deletes of one key race).
   */
  private <T> T retrying(String op, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
          LOG.debug("{} on {}: retrying after {}", op, tableName, e.getSQLState());
          continue;
        }
        throw translate(e, op);
      }
    }
  }

  private int reclaimExpired(
      Connection c, ReferenceDocument doc, String version, long now, @Nullable Long expiry)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.reclaimExpired)) {
      timeout(ps);
      bindSet(ps, doc, version, now, expiry);
      ps.setString(9, doc.keyHash());
      ps.setLong(10, now);
      return ps.executeUpdate();
    }
  }

  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    long now = options.clock().millis();
    Long expiry = expiryOf(now);
    int rows =
        retrying(
            "replace",
            c -> {
              int n;
              try (PreparedStatement ps = c.prepareStatement(sql.replace)) {
                timeout(ps);
                bindSet(ps, doc, version, now, expiry);
                ps.setString(9, doc.keyHash());
                ps.setString(10, expectedVersion);
                ps.setLong(11, now);
                n = ps.executeUpdate();
              }
              commitIfNeeded(c);
              return n;
            });
    if (rows == 0) {
      throw new VersionConflictException(doc.key(), expectedVersion, currentVersion(doc.key()));
    }
    return new StoredReference(reference, version);
  }

  @Override
  public List<StoredReference> saveAll(Collection<ConversationReference> references) {
    List<StoredReference> out = new ArrayList<>(references.size());
    List<ReferenceDocument> docs = new ArrayList<>(Math.min(references.size(), BATCH_SIZE));
    List<String> versions = new ArrayList<>(Math.min(references.size(), BATCH_SIZE));
    int saved = 0;
    for (ConversationReference reference : references) {
      ReferenceDocument doc = ReferenceDocument.of(reference);
      String version = newVersion();
      docs.add(doc);
      versions.add(version);
      out.add(new StoredReference(reference, version));
      if (docs.size() == BATCH_SIZE) {
        writeBatch(docs, versions, saved, references.size());
        saved += docs.size();
        docs.clear();
        versions.clear();
      }
    }
    if (!docs.isEmpty()) {
      writeBatch(docs, versions, saved, references.size());
    }
    return out;
  }

  private void writeBatch(
      List<ReferenceDocument> docs, List<String> versions, int savedBefore, int total) {
    long now = options.clock().millis();
    Long expiry = expiryOf(now);
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
          c.setAutoCommit(false);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.save)) {
          timeout(ps);
          for (int i = 0; i < docs.size(); i++) {
            bindRow(ps, docs.get(i), versions.get(i), now, expiry);
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
          return;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          if (autoCommit) {
            c.setAutoCommit(true);
          }
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
          LOG.debug("saveAll on {}: retrying a batch after {}", tableName, e.getSQLState());
          continue;
        }
        throw translate(
            e,
            "saveAll",
            " ("
                + savedBefore
                + " of "
                + total
                + " references were saved before this batch of "
                + docs.size()
                + ")");
      }
    }
  }

  // ------------------------------------------------------------------ reads and deletes

  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    Objects.requireNonNull(key, "key");
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.find)) {
      timeout(ps);
      ps.setString(1, key.hash());
      ps.setLong(2, options.clock().millis());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(ReferenceDocument.read(key, rs.getString(2), rs.getString(1)));
      }
    } catch (SQLException e) {
      throw translate(e, "find");
    }
  }

  @Override
  public boolean delete(ReferenceKey key) {
    Objects.requireNonNull(key, "key");
    return retrying(
        "delete",
        c -> {
          int rows;
          try (PreparedStatement ps = c.prepareStatement(sql.delete)) {
            timeout(ps);
            ps.setString(1, key.hash());
            ps.setLong(2, options.clock().millis());
            rows = ps.executeUpdate();
          }
          commitIfNeeded(c);
          return rows > 0;
        });
  }

  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    int rows =
        retrying(
            "delete",
            c -> {
              int n;
              try (PreparedStatement ps = c.prepareStatement(sql.deleteVersion)) {
                timeout(ps);
                ps.setString(1, key.hash());
                ps.setString(2, expectedVersion);
                ps.setLong(3, options.clock().millis());
                n = ps.executeUpdate();
              }
              commitIfNeeded(c);
              return n;
            });
    if (rows > 0) {
      return true;
    }
    String actual = currentVersion(key);
    if (actual == null) {
      return false;
    }
    throw new VersionConflictException(key, expectedVersion, actual);
  }

  /** The stored version of a live row, without reading its payload (which may be unreadable). */
  private @Nullable String currentVersion(ReferenceKey key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.find)) {
      timeout(ps);
      ps.setString(1, key.hash());
      ps.setLong(2, options.clock().millis());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw translate(e, "find");
    }
  }

  @Override
  public long purgeExpired() {
    long deleted = 0;
    long now = options.clock().millis();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.purge)) {
      timeout(ps);
      while (true) {
        ps.setLong(1, now);
        ps.setInt(2, PURGE_BATCH);
        int rows = ps.executeUpdate();
        commitIfNeeded(c);
        deleted += rows;
        if (rows < PURGE_BATCH) {
          break;
        }
      }
    } catch (SQLException e) {
      throw translate(e, "purgeExpired");
    }
    LOG.debug("purged {} expired references from {}", deleted, tableName);
    return deleted;
  }

  // ------------------------------------------------------------------ listing

  @Override
  public Page list(ListQuery query) {
    Objects.requireNonNull(query, "query");
    Segment segment = query.segment();
    boolean bySegment = segment != null && segment.count() > 1;
    String fingerprint =
        ListCursor.fingerprint(
            tableName,
            query.channelId(),
            query.tenantId(),
            segment == null ? null : segment.index() + "/" + segment.count());
    String after =
        query.cursor() == null
            ? null
            : ListCursor.decode(query.cursor(), fingerprint).afterKeyHash();
    String statement =
        sql.list(query.channelId() != null, query.tenantId() != null, bySegment, after != null);
    List<StoredReference> items = new ArrayList<>(Math.min(query.pageSize(), 128));
    List<UnreadableReference> unreadable = new ArrayList<>();
    String last = null;
    boolean more = false;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(statement)) {
      timeout(ps);
      int i = 1;
      ps.setLong(i++, options.clock().millis());
      if (query.channelId() != null) {
        ps.setString(i++, query.channelId());
      }
      if (query.tenantId() != null) {
        ps.setString(i++, query.tenantId());
      }
      if (bySegment && segment != null) {
        ps.setInt(i++, segment.count());
        ps.setInt(i++, segment.index());
      }
      if (after != null) {
        ps.setString(i++, after);
      }
      ps.setInt(i, query.pageSize() + 1);
      try (ResultSet rs = ps.executeQuery()) {
        int read = 0;
        while (rs.next()) {
          if (read == query.pageSize()) {
            more = true;
            break;
          }
          read++;
          last = rs.getString(1);
          // exact match: MariaDB's PAD SPACE collations ignore trailing spaces in '='
          if (query.channelId() != null && !query.channelId().equals(rs.getString(2))) {
            continue;
          }
          if (query.tenantId() != null && !query.tenantId().equals(rs.getString(3))) {
            continue;
          }
          try {
            items.add(
                ReferenceDocument.read(
                    last, rs.getString(2), rs.getString(6), rs.getString(5), rs.getString(4)));
          } catch (UnreadableReferenceException e) {
            unreadable.add(e.unreadable());
          }
        }
      }
    } catch (SQLException e) {
      throw translate(e, "list");
    }
    String next = more && last != null ? new ListCursor(fingerprint, last).encode() : null;
    return new Page(items, next, unreadable);
  }

  // ------------------------------------------------------------------ helpers

  private void bindRow(
      PreparedStatement ps, ReferenceDocument doc, String version, long now, @Nullable Long expiry)
      throws SQLException {
    ps.setString(1, doc.keyHash());
    bindColumns(ps, 2, doc, version, now, expiry);
  }

  /**
   * The eight SET values of an UPDATE: every column but key_hash, in {@link SqlStatements} order.
   */
  private void bindSet(
      PreparedStatement ps, ReferenceDocument doc, String version, long now, @Nullable Long expiry)
      throws SQLException {
    bindColumns(ps, 1, doc, version, now, expiry);
  }

  /** Every column but key_hash, in {@link SqlStatements} order, from parameter {@code first} on. */
  private static void bindColumns(
      PreparedStatement ps,
      int first,
      ReferenceDocument doc,
      String version,
      long now,
      @Nullable Long expiry)
      throws SQLException {
    ps.setString(first, doc.key().channelId());
    ps.setString(first + 1, doc.key().conversationId());
    setNullableString(ps, first + 2, doc.tenantId());
    ps.setInt(first + 3, doc.bucket());
    ps.setString(first + 4, version);
    ps.setLong(first + 5, now);
    setNullableLong(ps, first + 6, expiry);
    ps.setString(first + 7, doc.json());
  }

  private static void setNullableString(PreparedStatement ps, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  private static void setNullableLong(PreparedStatement ps, int index, @Nullable Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private @Nullable Long expiryOf(long nowMillis) {
    Duration ttl = options.ttl();
    return ttl == null ? null : nowMillis + ttl.toMillis();
  }

  private void timeout(Statement st) throws SQLException {
    // H2 runs "SET QUERY_TIMEOUT" for every Statement.setQueryTimeout: a second command per call
    // (a second round trip in server mode). H2 takes its timeout from the URL (;QUERY_TIMEOUT=ms).
    if (queryTimeoutSeconds > 0 && dialect != Dialect.H2) {
      st.setQueryTimeout(queryTimeoutSeconds);
    }
  }

  private static void commitIfNeeded(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  private static void rollbackIfNeeded(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }

  private static String newVersion() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
  }

  private boolean isDuplicateKey(SQLException e) {
    String state = e.getSQLState();
    return switch (dialect) {
      case POSTGRESQL, H2 -> "23505".equals(state);
      case MARIADB -> e.getErrorCode() == 1062 || ("23000".equals(state) && e.getErrorCode() == 0);
      case SQLITE ->
          (e.getErrorCode() & 0xff) == 19 && String.valueOf(e.getMessage()).contains("UNIQUE");
    };
  }

  private boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    if ("40001".equals(state) || "40P01".equals(state)) {
      return true; // deadlock or serialization failure: the statement was rolled back whole
    }
    // H2's MERGE is not atomic against a concurrent insert of the same key
    return dialect == Dialect.H2 && ("23505".equals(state) || "HYT00".equals(state));
  }

  private boolean isMissingTable(SQLException e) {
    String state = e.getSQLState();
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return switch (dialect) {
      case POSTGRESQL -> "42P01".equals(state);
      case MARIADB -> e.getErrorCode() == 1146 || "42S02".equals(state);
      case H2 -> "42S02".equals(state) || e.getErrorCode() == 42102 || e.getErrorCode() == 42104;
      case SQLITE -> message.contains("no such table");
    };
  }

  private StoreException translate(SQLException e, String operation) {
    return translate(e, operation, "");
  }

  /** The store's exception for a JDBC failure; {@code detail} is appended to the message. */
  private StoreException translate(SQLException e, String operation, String detail) {
    if (isMissingTable(e)) {
      return new TableMissingException(
          "Table '"
              + tableName
              + "' does not exist ("
              + operation
              + ", "
              + dialect
              + "). Create it once with JdbcReferenceRepository.createSchema() or run the shipped "
              + dialect.schemaResource()
              + " (see JdbcReferenceRepository.schemaScript())."
              + detail,
          e);
    }
    return new StoreException(
        "JDBC "
            + operation
            + " on table '"
            + tableName
            + "' ("
            + dialect
            + ") failed: "
            + describe(e)
            + detail,
        e);
  }

  private static String describe(SQLException e) {
    return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ": " + e.getMessage();
  }

  /**
   * Configures a {@link JdbcReferenceRepository}; the repository it builds is immutable. Not
   * thread-safe: use one builder per thread.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private @Nullable Dialect dialect;
    private StoreOptions options = StoreOptions.defaults();
    private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the table name (default {@value JdbcReferenceRepository#DEFAULT_TABLE_NAME}). It is
     * validated, never quoted or escaped: a name of up to 48 letters, digits and underscores, not
     * starting with a digit, optionally prefixed by a schema name of the same form and a dot
     * ({@code beckon.references}). Unquoted, so the database folds its case as usual (PostgreSQL to
     * lower case, H2 to upper case).
     *
     * @param value the table name
     * @return this builder
     * @throws IllegalArgumentException when it is not such a name
     */
    public Builder tableName(String value) {
      Objects.requireNonNull(value, "tableName");
      int dot = value.indexOf('.');
      boolean valid =
          dot < 0
              ? IDENTIFIER.matcher(value).matches()
              : IDENTIFIER.matcher(value.substring(0, dot)).matches()
                  && IDENTIFIER.matcher(value.substring(dot + 1)).matches();
      if (!valid) {
        throw new IllegalArgumentException(
            "A JDBC table name is [schema.]name, each part 1 to 48 letters, digits "
                + "or underscores not starting with a digit; refused: '"
                + value
                + "'");
      }
      this.tableName = value;
      return this;
    }

    /**
     * Sets the dialect explicitly (default: detected from the connection's metadata when {@link
     * #build()} runs).
     *
     * @param value the dialect
     * @return this builder
     */
    public Builder dialect(Dialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * Sets the TTL and clock (default: no TTL, system clock). Expiry is stored as UTC epoch
     * milliseconds of this clock.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(StoreOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * Sets the query timeout of every statement ({@link Statement#setQueryTimeout}, whole seconds,
     * rounded up). Default {@link JdbcReferenceRepository#DEFAULT_QUERY_TIMEOUT} (10 s). Your
     * pool's connection timeout bounds the wait for a connection.
     *
     * <p>{@link Duration#ZERO} leaves timeouts to your driver configuration (PostgreSQL {@code
     * socketTimeout} / {@code options=-c statement_timeout=10s}, MariaDB {@code socketTimeout});
     * use it only when the URL sets one. H2 always takes its timeout from the URL ({@code
     * ;QUERY_TIMEOUT=10000}): its per-statement timeout costs an extra command per call, so the
     * repository does not set it.
     *
     * @param value a positive duration, or zero for "the driver's own"
     * @return this builder
     */
    public Builder queryTimeout(Duration value) {
      Objects.requireNonNull(value, "queryTimeout");
      if (value.isNegative()) {
        throw new IllegalArgumentException("queryTimeout must not be negative but was " + value);
      }
      this.queryTimeout = value;
      return this;
    }

    /**
     * Builds the repository. Without an explicit {@link #dialect(Dialect)} this borrows one
     * connection to read the database product name; otherwise it touches nothing. The table is not
     * checked: a missing table fails the first call that uses it.
     *
     * @return the repository
     * @throws StoreException when the dialect cannot be detected
     */
    public JdbcReferenceRepository build() {
      Dialect d = dialect;
      if (d == null) {
        String product;
        try (Connection c = dataSource.getConnection()) {
          product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
          throw new StoreException(
              "Could not read the database product name to detect the SQL dialect: "
                  + describe(e)
                  + ". Set it with JdbcReferenceRepository.builder(...).dialect(...)",
              e);
        }
        d =
            Dialect.ofProductName(String.valueOf(product))
                .orElseThrow(
                    () ->
                        new StoreException(
                            "Unsupported database '"
                                + product
                                + "': JdbcReferenceRepository speaks PostgreSQL, MariaDB/MySQL, "
                                + "H2 and SQLite. Set the dialect explicitly if yours is compatible with one of them.",
                            null));
      }
      return new JdbcReferenceRepository(this, d);
    }
  }
}
