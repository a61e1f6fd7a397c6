package dev.beckon.storage.jdbc;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.store.spi.DriverUrl;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Opens {@code jdbc:<driver url>[#table=name][&create]} queue URIs ({@link DeliveryQueueProvider})
 * exactly as {@link JdbcStoreProvider} opens store URIs: any JDBC URL whose driver is on the class
 * path, userinfo passed to the pool out of the URL, over a small HikariCP pool this provider
 * creates and closes. The table defaults to {@value JdbcDeliveryQueue#DEFAULT_TABLE_NAME}; {@code
 * #create} runs {@link JdbcDeliveryQueue#createSchema()} first.
 */
public final class JdbcDeliveryQueueProvider implements DeliveryQueueProvider {

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public JdbcDeliveryQueueProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public String usage() {
    return "jdbc:<driver url>[#table=name][&create] (table default "
        + JdbcDeliveryQueue.DEFAULT_TABLE_NAME
        + ")";
  }

  @Override
  public OpenedQueue open(String uri) {
    StoreUri u = JdbcStoreProvider.options(uri);
    DriverUrl url = JdbcStoreProvider.driverUrl(u);
    DataSource ds =
        StoreProvider.withOptionalLibrary(
            "jdbc", "HikariCP (com.zaxxer:HikariCP)", () -> JdbcStoreProvider.Pool.open(url));
    String table = Objects.requireNonNullElse(u.get("table"), JdbcDeliveryQueue.DEFAULT_TABLE_NAME);
    return OpenedQueue.over(
        (AutoCloseable) ds,
        "jdbc " + url.printable() + " table " + table,
        pool -> {
          JdbcDeliveryQueue queue = JdbcDeliveryQueue.builder(ds).tableName(table).build();
          if (u.flag("create")) {
            queue.createSchema();
          }
          return queue;
        });
  }
}
