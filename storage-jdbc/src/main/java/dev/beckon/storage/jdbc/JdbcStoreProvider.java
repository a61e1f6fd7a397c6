package dev.beckon.storage.jdbc;

import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * #open} needs it, and says so when it is missing. Applications that build their own {@code
 * DataSource} never load it.
 */
public final class JdbcStoreProvider implements StoreProvider {

  /** {@code jdbc:driver://user:password@}: most drivers do not take userinfo. */
  private static final Pattern USERINFO = Pattern.compile("^(jdbc:[^/]*//)([^/@?;]*)@");

  /** {@code //host:port}, the authority most JDBC URLs share (userinfo skipped). */
  private static final Pattern AUTHORITY_PORT =
      Pattern.compile("//(?:[^/@?;]*@)?(\\[[^\\]]*\\]|[^:/?;,\\[]*):(\\d+)");

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
    JdbcUri j = JdbcUri.parse(uri);
    String url = j.url();
    if (url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) && !url.contains("memory")) {
      String file = url.substring(12);
      int q = file.indexOf('?');
      file = q < 0 ? file : file.substring(0, q);
      url =
          "jdbc:sqlite:"
              + Path.of(file.startsWith("file:") ? file.substring(5) : file)
                  .toAbsolutePath()
                  .normalize();
    }
    return url
        + "#table="
        + (j.table() == null ? JdbcReferenceRepository.DEFAULT_TABLE_NAME : j.table());
  }

  @Override
  public OpenedStore open(String uri) {
    JdbcUri parsed = JdbcUri.parse(uri);
    DataSource ds =
        StoreProvider.withOptionalLibrary(
            "jdbc", "HikariCP (com.zaxxer:HikariCP)", () -> Pool.open(parsed));
    return OpenedStore.over(
        (AutoCloseable) ds,
        "jdbc " + withoutParameters(parsed.url()),
        pool -> {
          JdbcReferenceRepository.Builder b = JdbcReferenceRepository.builder(ds);
          if (parsed.table() != null) {
            b.tableName(parsed.table());
          }
          JdbcReferenceRepository repo = b.build();
          if (parsed.create()) {
            repo.createSchema();
          }
          return repo;
        });
  }

  /**
   * The driver URL without its parameters ({@code ?...}, {@code ;...}), which may hold a password:
   * what the description shows.
   */
  static String withoutParameters(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int i = url.indexOf(c);
      cut = i < 0 ? cut : Math.min(cut, i);
    }
    return url.substring(0, cut);
  }

  /**
   * The HikariCP calls, in a class of their own: it is loaded on the first {@link #open}, so the
   * provider is found and its other methods work without HikariCP.
   */
  static final class Pool {

    static DataSource open(JdbcUri parsed) {
      com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
      config.setJdbcUrl(parsed.url());
      if (parsed.user() != null) {
        config.setUsername(parsed.user());
        config.setPassword(parsed.password());
      }
      config.setMaximumPoolSize(4);
      config.setConnectionTimeout(10_000);
      config.setPoolName("beckon-store");
      try {
        return new com.zaxxer.hikari.HikariDataSource(config);
      } catch (RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        throw new IllegalStateException("cannot connect: " + (nl < 0 ? m : m.substring(0, nl)), e);
      }
    }
  }

  /** A {@code jdbc:} store URI split into the driver URL and Beckon's options. */
  record JdbcUri(
      String url,
      @Nullable String user,
      @Nullable String password,
      @Nullable String table,
      boolean create) {

    static JdbcUri parse(String uri) {
      StoreUri options =
          StoreUri.parse(uri, SYNTAX)
              .requireOnly(
                  Set.of("table", "create"),
                  "use #table=name and/or #create, combined as #table=name&create");
      String url = options.base();
      String table = options.get("table");
      boolean create = options.flag("create");
      if (url.length() <= "jdbc:".length() || url.charAt("jdbc:".length()) == ':') {
        throw new IllegalArgumentException(
            "'"
                + url
                + "' names no JDBC driver: write jdbc:<driver>:..., "
                + "e.g. jdbc:sqlite:refs.db or jdbc:postgresql://127.0.0.1:5432/db?user=...");
      }
      String user = null;
      String password = null;
      Matcher u = USERINFO.matcher(url);
      if (u.find()) {
        String info = u.group(2);
        int colon = info.indexOf(':');
        user = decode(colon < 0 ? info : info.substring(0, colon));
        password = colon < 0 ? null : decode(info.substring(colon + 1));
        url = u.group(1) + url.substring(u.end());
      }
      Matcher m = AUTHORITY_PORT.matcher(url);
      if (m.find()) {
        int port;
        try {
          port = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65_535) {
          throw new IllegalArgumentException(
              "the port in " + url + " must be 1..65535, not " + m.group(2));
        }
      }
      try {
        DriverManager.getDriver(url);
      } catch (SQLException e) {
        throw new IllegalArgumentException(
            "no JDBC driver on the class path accepts "
                + url
                + " (check the driver name and the URL's syntax, and that the driver's jar is on"
                + " the class path)");
      }
      return new JdbcUri(url, user, password, table, create);
    }

    private static String decode(String s) {
      try {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }
  }
}
