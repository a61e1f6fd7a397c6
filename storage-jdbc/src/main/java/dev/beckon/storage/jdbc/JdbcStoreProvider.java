package dev.beckon.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.store.spi.DriverUrl;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@code jdbc:<driver url>[#table=name][&create]} store URIs ({@link StoreProvider}): any
 * JDBC URL whose driver is on the class path, over a small HikariCP pool this provider creates and
 * closes. {@code #create} runs {@link JdbcReferenceRepository#createSchema()} first; the table
 * defaults to {@value JdbcReferenceRepository#DEFAULT_TABLE_NAME}. Userinfo ({@code
 * jdbc:mariadb://user:password@host/db}) is passed to the pool as its user and password, out of the
 * URL. The options combine with {@code #} or {@code &}: {@code #table=x#create} and {@code
 * #table=x&create} are the same.
 *
 * <p>HikariCP ({@code com.zaxxer:HikariCP}) is an optional dependency of this module: only {@link
 * #open} needs it, and says so when it is missing.
 */
public final class JdbcStoreProvider implements StoreProvider {

  /** Options after {@code #}, written {@code #table=x&create} or {@code #table=x#create}. */
  private static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax("#", "&", "[#&]", false, false);

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public JdbcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public String usage() {
    return "jdbc:<driver url>[#table=name][&create] (e.g. jdbc:sqlite:refs.db#table=mine&create;"
        + " table default "
        + JdbcReferenceRepository.DEFAULT_TABLE_NAME
        + ")";
  }

  @Override
  public Optional<String> createOption() {
    return Optional.of("#create");
  }

  @Override
  public String withTable(String uri, @Nullable String table, boolean create) {
    return StoreUri.parse(uri, SYNTAX).withTable(table, "table").withCreate(create, "create") + "";
  }

  @Override
  public String identity(String uri) {
    StoreUri u = options(uri);
    String url = driverUrl(u).url();
    if (url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) && !url.contains("memory")) {
      String file = url.substring(12).split("\\?", 2)[0].replaceFirst("^file:", "");
      url = "jdbc:sqlite:" + Path.of(file).toAbsolutePath().normalize();
    }
    return url + "#table=" + table(u);
  }

  @Override
  public OpenedStore open(String uri) {
    StoreUri u = options(uri);
    DriverUrl url = driverUrl(u);
    DataSource ds =
        StoreProvider.withOptionalLibrary(
            "jdbc", "HikariCP (com.zaxxer:HikariCP)", () -> Pool.open(url));
    return OpenedStore.over(
        (AutoCloseable) ds,
        "jdbc " + url.printable(),
        pool -> {
          JdbcReferenceRepository repo =
              JdbcReferenceRepository.builder(ds).tableName(table(u)).build();
          if (u.flag("create")) {
            repo.createSchema();
          }
          return repo;
        });
  }

  static StoreUri options(String uri) {
    return StoreUri.parse(uri, SYNTAX)
        .requireOnly(
            Set.of("table", "create"),
            "use #table=name and/or #create, combined as #table=name&create");
  }

  private static String table(StoreUri u) {
    return Objects.requireNonNullElse(u.get("table"), JdbcReferenceRepository.DEFAULT_TABLE_NAME);
  }

  /** The driver URL, checked: a driver on the class path accepts it. */
  static DriverUrl driverUrl(StoreUri u) {
    String base = u.base();
    if (base.length() <= "jdbc:".length() || base.charAt("jdbc:".length()) == ':') {
      throw new IllegalArgumentException(
          "'"
              + base
              + "' names no JDBC driver: write jdbc:<driver>:..., "
              + "e.g. jdbc:sqlite:refs.db or jdbc:postgresql://127.0.0.1:5432/db?user=...");
    }
    DriverUrl url = DriverUrl.parse(base);
    try {
      DriverManager.getDriver(url.url());
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "no JDBC driver on the class path accepts "
              + url.url()
              + " (check the driver name and the URL's syntax, and that the driver's jar is on"
              + " the class path)");
    }
    return url;
  }

  /** The HikariCP calls, in a class of their own, loaded on the first {@link #open}. */
  static final class Pool {

    static DataSource open(DriverUrl url) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url.url());
      if (url.user() != null) {
        config.setUsername(url.user());
        config.setPassword(url.password());
      }
      config.setMaximumPoolSize(4);
      config.setConnectionTimeout(10_000);
      config.setPoolName("beckon-store");
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw StoreProvider.cannotConnect(e);
      }
    }
  }
}
