package dev.beckon.storage.jdbc;

import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.nio.file.Path;
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

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public JdbcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public String usage() {
    return JdbcUri.usage(JdbcReferenceRepository.DEFAULT_TABLE_NAME);
  }

  @Override
  public Optional<String> createOption() {
    return Optional.of("#create");
  }

  @Override
  public String withTable(String uri, @Nullable String table, boolean create) {
    StoreUri u = StoreUri.parse(uri, JdbcUri.SYNTAX);
    return u.withTable(table, "table").withCreate(create, "create").toString();
  }

  @Override
  public String identity(String uri) {
    JdbcUri u = JdbcUri.parse(uri);
    String url = u.url.url();
    if (url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) && !url.contains("memory")) {
      String file = url.substring(12).split("\\?", 2)[0].replaceFirst("^file:", "");
      url = "jdbc:sqlite:" + Path.of(file).toAbsolutePath().normalize();
    }
    return url + "#table=" + u.table(JdbcReferenceRepository.DEFAULT_TABLE_NAME);
  }

  @Override
  public OpenedStore open(String uri) {
    JdbcUri u = JdbcUri.parse(uri);
    String table = u.table(JdbcReferenceRepository.DEFAULT_TABLE_NAME);
    DataSource ds = u.pool();
    return OpenedStore.over(
        (AutoCloseable) ds,
        "jdbc " + u.url.printable(),
        pool ->
            u.createdIfAsked(
                JdbcReferenceRepository.builder(ds).tableName(table).build(),
                JdbcReferenceRepository::createSchema));
  }
}
