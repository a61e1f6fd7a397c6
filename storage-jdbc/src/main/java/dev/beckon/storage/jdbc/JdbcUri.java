package dev.beckon.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.store.spi.DriverUrl;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@code jdbc:<driver url>[#table=name][&create]} URI, as the store's and the queue's providers
 * read it alike: the options, the driver URL checked against the drivers on the class path, and the
 * small HikariCP pool opened over it.
 */
final class JdbcUri {

  /** Options after {@code #}, written {@code #table=x&create} or {@code #table=x#create}. */
  static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax("#", "&", "[#&]", false, false);

  final StoreUri options;
  final DriverUrl url;

  private JdbcUri(StoreUri options, DriverUrl url) {
    this.options = options;
    this.url = url;
  }

  /**
   * {@return the URI, checked: known options only, and a driver on the class path accepts its URL}
   *
   * @throws IllegalArgumentException naming what is wrong and how to write it
   */
  static JdbcUri parse(String uri) {
    StoreUri u =
        StoreUri.parse(uri, SYNTAX)
            .requireOnly(
                Set.of("table", "create"),
                "use #table=name and/or #create, combined as #table=name&create");
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
    return new JdbcUri(u, url);
  }

  /** {@return the usage line of a provider whose table defaults to {@code defaultTable}} */
  static String usage(String defaultTable) {
    return "jdbc:<driver url>[#table=name][&create] (e.g. jdbc:sqlite:refs.db#table=mine&create;"
        + " table default "
        + defaultTable
        + ")";
  }

  /** {@return the table the URI names, or the default} */
  String table(String defaultTable) {
    return Objects.requireNonNullElse(options.get("table"), defaultTable);
  }

  /**
   * {@return a store opened over the URI, its table created first when the URI has {@code #create}}
   *
   * @param createSchema the store's {@code createSchema()}
   */
  <T> T createdIfAsked(T store, Consumer<T> createSchema) {
    if (options.flag("create")) {
      createSchema.accept(store);
    }
    return store;
  }

  /**
   * {@return a pool of at most 4 connections over the URL, the userinfo as its user and password}
   *
   * @throws IllegalArgumentException when HikariCP is not on the class path
   * @throws IllegalStateException when the pool cannot connect
   */
  DataSource pool() {
    return StoreProvider.withOptionalLibrary(
        "jdbc", "HikariCP (com.zaxxer:HikariCP)", () -> Pool.open(url));
  }

  /** The HikariCP calls, in a class of their own, loaded on the first {@link #pool()}. */
  private static final class Pool {

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
