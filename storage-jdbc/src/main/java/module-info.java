/**
 * Beckon's JDBC store (PostgreSQL, MariaDB/MySQL, H2, SQLite) over a {@code DataSource} you
 * provide, which is why {@code java.sql} is required transitively.
 *
 * <p>The shipped {@code schema-<dialect>.sql} files are encapsulated in this module; read them with
 * {@code JdbcReferenceRepository.schemaScript()}.
 */
// the HttpClient 5, Jedis and AWS SDK jars name their modules only by Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.storage.jdbc {
  requires transitive dev.beckon.core;
  requires transitive java.sql;
  requires org.slf4j;
  requires dev.beckon.ratelimit.bucket4j; // the fleet-wide token buckets
  // the pool of JdbcStoreProvider (store URIs); optional, loaded only when a jdbc: URI is opened
  requires static com.zaxxer.hikari;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.storage.jdbc;

  provides dev.beckon.store.spi.StoreProvider with
      dev.beckon.storage.jdbc.JdbcStoreProvider;
  provides dev.beckon.delivery.spi.DeliveryQueueProvider with
      dev.beckon.storage.jdbc.JdbcDeliveryQueueProvider;
}
