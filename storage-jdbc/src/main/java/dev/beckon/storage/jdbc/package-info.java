/**
 * Beckon's reference store over plain JDBC: {@link dev.beckon.storage.jdbc.JdbcReferenceRepository}
 * for PostgreSQL, MariaDB/MySQL, H2 and SQLite, over a {@code DataSource} you configure. The module
 * brings no JDBC driver and no pool: add your database's driver (and a pool such as HikariCP).
 */
@NullMarked
package dev.beckon.storage.jdbc;

import org.jspecify.annotations.NullMarked;
