package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.VersionConflictException;
import dev.beckon.testkit.MutableClock;
import dev.beckon.testkit.SampleReferences;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the contract kit does not cover: upsert races, injection, schema, timestamps, round trips.
 */
class JdbcSpecificTest {

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @ParameterizedTest
  @EnumSource(
      value = Dialect.class,
      names = {"POSTGRESQL", "MARIADB"})
  @Timeout(300)
  void eightThreadsUpsertingOverlappingKeysLoseNothing(Dialect dialect) throws Exception {
    JdbcReferenceRepository repository = TestDatabases.repository(dialect, StoreOptions.defaults());
    int threads = 8;
    int perThread = 1000;
    int keys = 25;
    Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    Map<String, String> lastAcknowledged = new ConcurrentHashMap<>();
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  barrier.await(30, TimeUnit.SECONDS);
                  for (int i = 0; i < perThread; i++) {
                    String id = "hot-" + ((i + thread) % keys);
                    StoredReference s =
                        repository.save(SampleReferences.reference("msteams", id, "t" + thread));
                    acknowledged
                        .computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                        .add(s.version());
                    // a per-thread key written once per iteration: its final version is exactly the
                    // last one
                    StoredReference own =
                        repository.save(
                            SampleReferences.reference("msteams", "own-" + thread, "i" + i));
                    lastAcknowledged.put("own-" + thread, own.version());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(); // rethrows any duplicate-key or deadlock error
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(acknowledged).hasSize(keys);
    for (Map.Entry<String, Set<String>> e : acknowledged.entrySet()) {
      StoredReference now = repository.find(ReferenceKey.of("msteams", e.getKey())).orElseThrow();
      assertThat(e.getValue())
          .as("final version of %s was acknowledged", e.getKey())
          .contains(now.version());
    }
    for (Map.Entry<String, String> e : lastAcknowledged.entrySet()) {
      StoredReference now = repository.find(ReferenceKey.of("msteams", e.getKey())).orElseThrow();
      assertThat(now.version()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(now.reference().conversation().tenantId()).isEqualTo("i" + (perThread - 1));
    }
    assertThat(rowCount(dialect, repository.tableName())).isEqualTo(keys + threads);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void quotesAndSqlInIdsAndFiltersAreJustData(Dialect dialect) {
    JdbcReferenceRepository repository = TestDatabases.repository(dialect, StoreOptions.defaults());
    JdbcReferenceRepository bystander = TestDatabases.repository(dialect, StoreOptions.defaults());
    bystander.save(SampleReferences.reference("msteams", "bystander", null));
    List<String> evil =
        List.of(
            "'; DROP TABLE " + bystander.tableName() + "; --",
            "\" OR \"1\"=\"1",
            "' OR '1'='1",
            "\\'; DELETE FROM " + bystander.tableName() + " WHERE '1'='1",
            "`backtick` $$dollar$$ /* comment */ %_wild_%",
            "x'); INSERT INTO " + bystander.tableName() + " VALUES ('y");
    for (String s : evil) {
      ConversationReference ref = SampleReferences.reference(s, s, s);
      StoredReference saved = repository.save(ref);
      assertThat(repository.find(ReferenceKey.of(s, s))).as(s).contains(saved);
      assertThat(repository.insertIfAbsent(ref)).as(s).isEmpty();
      StoredReference replaced = repository.replace(ref, saved.version());
      List<StoredReference> listed = listAll(repository, ListQuery.channel(s).withTenant(s));
      assertThat(listed).as(s).containsExactly(replaced);
    }
    assertThat(listAll(repository, ListQuery.channel("' OR '1'='1' --"))).isEmpty();
    assertThat(listAll(repository, ListQuery.all().withTenant("%"))).isEmpty();
    assertThat(listAll(repository, ListQuery.all())).hasSize(evil.size());
    for (String s : evil) {
      assertThat(repository.delete(ReferenceKey.of(s, s))).isTrue();
    }
    assertThat(listAll(bystander, ListQuery.all())).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void listFiltersAreExactWhateverTheCollation(Dialect dialect) {
    // MariaDB's PAD SPACE collations make 'msteams' = 'msteams ' true in SQL
    JdbcReferenceRepository repository = TestDatabases.repository(dialect, StoreOptions.defaults());
    StoredReference exact = repository.save(SampleReferences.reference("msteams", "a", "t"));
    StoredReference padded = repository.save(SampleReferences.reference("msteams ", "b", "t "));
    repository.save(SampleReferences.reference("MSTEAMS", "c", "T"));
    assertThat(listAll(repository, ListQuery.channel("msteams").withPageSize(1)))
        .containsExactly(exact);
    assertThat(listAll(repository, ListQuery.channel("msteams "))).containsExactly(padded);
    assertThat(listAll(repository, ListQuery.all().withTenant("t").withPageSize(1)))
        .containsExactly(exact);
    assertThat(listAll(repository, ListQuery.all().withTenant("t "))).containsExactly(padded);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x; DROP TABLE beckon_references",
        "a\"b",
        "a'b",
        "`a`",
        "a b",
        "a-b",
        "1abc",
        "",
        "a.b.c",
        ".a",
        "a.",
        "beckon_references--",
        "a/*b*/",
        "ünïcode",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void unsafeTableNamesAreRefused(String name) {
    JdbcReferenceRepository.Builder builder =
        JdbcReferenceRepository.builder(TestDatabases.dataSource(Dialect.H2));
    assertThatThrownBy(() -> builder.tableName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table name");
  }

  @Test
  void schemaQualifiedTableNamesWork() {
    String table = "public." + TestDatabases.freshTableName(Dialect.POSTGRESQL);
    JdbcReferenceRepository repository =
        JdbcReferenceRepository.builder(TestDatabases.dataSource(Dialect.POSTGRESQL))
            .tableName(table)
            .build();
    try {
      repository.createSchema();
      repository.createSchema();
      ConversationReference ref = SampleReferences.reference("msteams", "qualified", null);
      StoredReference saved = repository.save(ref);
      assertThat(repository.find(ref.key())).contains(saved);
    } finally {
      TestDatabases.execute(Dialect.POSTGRESQL, "DROP TABLE IF EXISTS " + table);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void missingTableNamesTheTableAndCreateSchema(Dialect dialect) {
    JdbcReferenceRepository repository =
        JdbcReferenceRepository.builder(TestDatabases.dataSource(dialect))
            .tableName("beckon_never_created")
            .build();
    ConversationReference ref = SampleReferences.reference("msteams", "c", null);
    for (Runnable call :
        List.<Runnable>of(
            () -> repository.save(ref),
            () -> repository.find(ref.key()),
            () -> repository.insertIfAbsent(ref),
            () -> repository.list(ListQuery.all()),
            () -> repository.saveAll(List.of(ref)),
            repository::purgeExpired)) {
      assertThatThrownBy(call::run)
          .isInstanceOf(TableMissingException.class)
          .hasMessageContaining("beckon_never_created")
          .hasMessageContaining("createSchema()")
          .hasCauseInstanceOf(SQLException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void dialectIsDetectedAndSchemaIsIdempotent(Dialect dialect) {
    JdbcReferenceRepository repository = TestDatabases.repository(dialect, StoreOptions.defaults());
    assertThat(repository.dialect()).isEqualTo(dialect);
    ConversationReference ref = SampleReferences.reference("msteams", "kept", null);
    StoredReference saved = repository.save(ref);
    repository.createSchema();
    assertThat(repository.find(ref.key())).as("an existing table is left as it is").contains(saved);
    assertThat(repository.schemaScript()).contains(repository.tableName()).doesNotContain("${");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void timestampsAreUtcEpochMillisWhateverTheJvmZone(Dialect dialect) throws SQLException {
    MutableClock clock = MutableClock.now();
    JdbcReferenceRepository repository =
        TestDatabases.repository(
            dialect, StoreOptions.defaults().withTtl(Duration.ofHours(2)).withClock(clock));
    TimeZone zone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14
    try {
      repository.save(SampleReferences.reference("msteams", "utc", null));
    } finally {
      TimeZone.setDefault(zone);
    }
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT updated_at, expires_at FROM " + repository.tableName())) {
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(clock.millis());
        assertThat(rs.getLong(2)).isEqualTo(clock.millis() + Duration.ofHours(2).toMillis());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void cursorOfAnotherQueryOrTableIsRefused(Dialect dialect) {
    JdbcReferenceRepository repository = TestDatabases.repository(dialect, StoreOptions.defaults());
    JdbcReferenceRepository other = TestDatabases.repository(dialect, StoreOptions.defaults());
    for (int i = 0; i < 5; i++) {
      repository.save(SampleReferences.reference("msteams", "c" + i, null));
      other.save(SampleReferences.reference("msteams", "c" + i, null));
    }
    Page page = repository.list(ListQuery.channel("msteams").withPageSize(2));
    String cursor = java.util.Objects.requireNonNull(page.next());
    assertThat(
            repository
                .list(ListQuery.channel("msteams").withPageSize(2).withCursor(cursor))
                .items())
        .hasSize(2);
    assertThatThrownBy(() -> repository.list(ListQuery.channel("emulator").withCursor(cursor)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> other.list(ListQuery.channel("msteams").withCursor(cursor)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> repository.list(ListQuery.all().withCursor("YmoxOicgT1IgJzEnPScx")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void saveAndFindAreOneStatementEach(Dialect dialect) {
    JdbcReferenceRepository plain = TestDatabases.repository(dialect, StoreOptions.defaults());
    AtomicInteger executions = new AtomicInteger();
    JdbcReferenceRepository counted =
        JdbcReferenceRepository.builder(counting(TestDatabases.dataSource(dialect), executions))
            .tableName(plain.tableName())
            .dialect(dialect)
            .build();
    ConversationReference ref = SampleReferences.reference("msteams", "one-trip", null);
    counted.save(ref);
    assertThat(executions.getAndSet(0)).as("statements per save").isEqualTo(1);
    counted.save(ref);
    assertThat(executions.getAndSet(0)).as("statements per save of an existing key").isEqualTo(1);
    assertThat(counted.find(ref.key())).isPresent();
    assertThat(executions.getAndSet(0)).as("statements per find").isEqualTo(1);
    assertThat(counted.find(ReferenceKey.of("msteams", "absent"))).isEmpty();
    assertThat(executions.getAndSet(0)).as("statements per find of nothing").isEqualTo(1);
    StoredReference current = counted.find(ref.key()).orElseThrow();
    executions.set(0);
    StoredReference replaced = counted.replace(ref, current.version());
    assertThat(executions.getAndSet(0)).as("statements per successful replace").isEqualTo(1);
    assertThatThrownBy(() -> counted.replace(ref, current.version()))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining(replaced.version());
    assertThat(executions.getAndSet(0))
        .as("statements per replace conflict: the update, then a read for the current version")
        .isEqualTo(2);
    ConversationReference fresh = SampleReferences.reference("msteams", "fresh", null);
    assertThat(counted.insertIfAbsent(fresh)).isPresent();
    assertThat(executions.getAndSet(0)).as("statements per insertIfAbsent of a new key").isOne();
    assertThatThrownBy(() -> counted.delete(fresh.key(), replaced.version()))
        .isInstanceOf(VersionConflictException.class);
    assertThat(executions.getAndSet(0)).as("statements per versioned delete conflict").isEqualTo(2);
    assertThat(counted.delete(ref.key(), replaced.version())).isTrue();
    assertThat(executions.getAndSet(0)).as("statements per versioned delete").isOne();
    assertThat(counted.delete(fresh.key())).isTrue();
    assertThat(executions.getAndSet(0)).as("statements per delete").isOne();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void purgeDeletesEveryExpiredRowInBatchesAndKeepsTheRest(Dialect dialect) throws SQLException {
    MutableClock clock = MutableClock.now();
    JdbcReferenceRepository repository =
        TestDatabases.repository(
            dialect, StoreOptions.defaults().withTtl(Duration.ofHours(1)).withClock(clock));
    List<ConversationReference> old = new ArrayList<>();
    for (int i = 0; i < 2 * JdbcReferenceRepository.PURGE_BATCH + 500; i++) {
      old.add(SampleReferences.reference("msteams", "old-" + i, null));
    }
    repository.saveAll(old);
    clock.advance(Duration.ofMinutes(45));
    repository.save(SampleReferences.reference("msteams", "young", null));
    clock.advance(Duration.ofMinutes(30));
    assertThat(repository.purgeExpired()).isEqualTo(old.size());
    assertThat(repository.purgeExpired()).isZero();
    assertThat(rowCount(dialect, repository.tableName())).isEqualTo(1);
    assertThat(repository.find(ReferenceKey.of("msteams", "young"))).isPresent();
  }

  @Test
  void productNamesMapToDialects() {
    assertThat(Dialect.ofProductName("PostgreSQL")).contains(Dialect.POSTGRESQL);
    assertThat(Dialect.ofProductName("MariaDB")).contains(Dialect.MARIADB);
    assertThat(Dialect.ofProductName("MySQL")).contains(Dialect.MARIADB);
    assertThat(Dialect.ofProductName("H2")).contains(Dialect.H2);
    assertThat(Dialect.ofProductName("SQLite")).contains(Dialect.SQLITE);
    assertThat(Dialect.ofProductName("Oracle")).isEmpty();
    assertThatThrownBy(
            () ->
                JdbcReferenceRepository.builder(TestDatabases.dataSource(Dialect.H2))
                    .queryTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long rowCount(Dialect dialect, String table) throws SQLException {
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<StoredReference> listAll(
      JdbcReferenceRepository repository, ListQuery query) {
    List<StoredReference> all = new ArrayList<>();
    ListQuery q = query;
    while (true) {
      Page p = repository.list(q);
      all.addAll(p.items());
      if (p.next() == null) {
        return all;
      }
      q = q.withCursor(p.next());
    }
  }

  /** A data source whose statements count their executions (the real database still runs them). */
  private static DataSource counting(DataSource real, AtomicInteger executions) {
    return (DataSource)
        Proxy.newProxyInstance(
            JdbcSpecificTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              if (result instanceof Connection c) {
                return Proxy.newProxyInstance(
                    JdbcSpecificTest.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (p2, m2, a2) -> {
                      Object r2 = invoke(c, m2, a2);
                      if (r2 instanceof PreparedStatement ps) {
                        return Proxy.newProxyInstance(
                            JdbcSpecificTest.class.getClassLoader(),
                            new Class<?>[] {PreparedStatement.class},
                            (p3, m3, a3) -> {
                              if (m3.getName().startsWith("execute")) {
                                executions.incrementAndGet();
                              }
                              return invoke(ps, m3, a3);
                            });
                      }
                      return r2;
                    });
              }
              return result;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
