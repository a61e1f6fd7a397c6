package dev.beckon.storage.jdbc;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
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
    return JdbcUri.usage(JdbcDeliveryQueue.DEFAULT_TABLE_NAME);
  }

  @Override
  public OpenedQueue open(String uri) {
    JdbcUri u = JdbcUri.parse(uri);
    DataSource ds = u.pool();
    String table = u.table(JdbcDeliveryQueue.DEFAULT_TABLE_NAME);
    return OpenedQueue.over(
        (AutoCloseable) ds,
        "jdbc " + u.url.printable() + " table " + table,
        pool ->
            u.createdIfAsked(
                JdbcDeliveryQueue.builder(ds).tableName(table).build(),
                JdbcDeliveryQueue::createSchema));
  }
}
