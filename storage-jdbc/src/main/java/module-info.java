/**
 * Beckon's JDBC store (PostgreSQL, MariaDB/MySQL, H2, SQLite) over a {@code DataSource} you
 * provide, which is why {@code java.sql} is required transitively.
 *
 * <p>The shipped {@code schema-<dialect>.sql} files are encapsulated in this module; read them
 * with {@code JdbcReferenceRepository.schemaScript()}.
 */
module dev.beckon.storage.jdbc {
  requires transitive dev.beckon.core;
  requires transitive java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.beckon.storage.jdbc;
}
