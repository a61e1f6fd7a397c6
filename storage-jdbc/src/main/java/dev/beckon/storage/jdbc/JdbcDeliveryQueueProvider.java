package dev.beckon.storage.jdbc;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.store.spi.StoreProvider;
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
    JdbcStoreProvider.JdbcUri parsed = JdbcStoreProvider.JdbcUri.parse(uri);
    DataSource ds =
        StoreProvider.withOptionalLibrary(
            "jdbc", "HikariCP (com.zaxxer:HikariCP)", () -> JdbcStoreProvider.Pool.open(parsed));
    String table = parsed.table() == null ? JdbcDeliveryQueue.DEFAULT_TABLE_NAME : parsed.table();
    return OpenedQueue.over(
        (AutoCloseable) ds,
        "jdbc " + JdbcStoreProvider.withoutParameters(parsed.url()) + " table " + table,
        pool -> {
          JdbcDeliveryQueue queue = JdbcDeliveryQueue.builder(ds).tableName(table).build();
          if (parsed.create()) {
            queue.createSchema();
          }
          return queue;
        });
  }
}
