package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.ReferenceTooLargeException;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.VersionConflictException;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.store.spi.ForwardingReferenceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole definition of a correct {@link ReferenceRepository}. A store's test extends this class
 * and supplies one hook; it inherits every test:
 *
 * <pre>{@code
 * class RedisReferenceRepositoryTest extends ReferenceRepositoryContract {
 *   @Override
 *   protected ReferenceRepository createRepository(StoreOptions options) {
 *     return RedisReferenceRepository.builder(client).keyPrefix(uniquePrefix()).options(options).build();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #createRepository(StoreOptions)} must return an <b>empty</b> repository (a fresh table,
 * key prefix or database, or a truncated one) each time it is called; a test may call it more than
 * once. Tests run against a real backend: a backend that cannot be reached fails the test, it is
 * never skipped.
 *
 * <p>What is checked: byte-exact round trip of the official SDKs' fixtures; awkward ids; last write
 * wins; insert-if-absent (also racing 16 threads); compare-and-set with conflicts that change
 * nothing; idempotent and versioned delete (also 8 threads inserting, replacing and deleting one
 * key by version: every version ends exactly once, a stale version never deletes); paging that
 * returns every pre-existing item exactly once while other threads write; channel and tenant
 * filters; segments that partition exactly; a lazy stream over {@link #streamVolume()} references
 * that never holds more than a page; TTL with an injected clock; {@link
 * PurgeableRepository#purgeExpired()} removing exactly the expired references, counting each once,
 * also while others write; concurrent writers that lose no acknowledged write; size limits; invalid
 * cursors. The tests are grouped by {@code @Nested} classes (round trips, writes, deletes, listing,
 * expiry, purging, concurrency). A store that keeps serialized payloads extends {@link
 * StoredPayloadContract} instead, which adds the unreadable-row tests.
 */
public abstract class ReferenceRepositoryContract {

  /** For subclasses: one per store under test. */
  protected ReferenceRepositoryContract() {}

  /** The repository under test, created before each test with default options. */
  protected ReferenceRepository repository;

  /**
   * Creates an empty repository with the given options.
   *
   * @param options TTL and clock the repository must honour
   * @return an empty repository
   */
  protected abstract ReferenceRepository createRepository(StoreOptions options);

  /**
   * How many references the streaming test writes and streams. Defaults to 100,000.
   *
   * @return the volume
   */
  protected int streamVolume() {
    return 100_000;
  }

  /**
   * How many operations each of the 8 threads of {@code versionedDeleteRace} makes. Defaults to
   * 1,000 (the in-memory store's race needed that many to show); a slow backend may lower it.
   *
   * @return operations per thread
   */
  protected int raceOperationsPerThread() {
    return 1_000;
  }

  /** Creates {@link #repository}. */
  @BeforeEach
  void createDefaultRepository() {
    repository = createRepository(StoreOptions.defaults());
  }

  // ---------------------------------------------------------------- round trips and ids

  /**
   * Round trips: fixtures byte-exact, unknown fields, awkward and nearly equal ids, blank ids, the
   * size limit.
   */
  @Nested
  @DisplayName("round trips")
  class RoundTrips {

    @Test
    @DisplayName(
        "every official SDK fixture round-trips byte-exact; botbuilder-java's 'group' never comes back")
    void fixturesRoundTripByteExact() {
      for (String name : SampleReferences.FIXTURES) {
        ConversationReference ref = SampleReferences.fixture(name);
        String canonical = ReferenceJson.write(ref);
        StoredReference saved = repository.save(ref);
        StoredReference found =
            repository.find(ref.key()).orElseThrow(() -> new AssertionError(name + " not found"));
        assertThat(found.reference()).as(name).isEqualTo(ref);
        assertThat(ReferenceJson.write(found.reference())).as(name).isEqualTo(canonical);
        assertThat(ReferenceJson.write(found.reference())).as(name).doesNotContain("\"group\"");
        assertThat(found.version()).as(name).isEqualTo(saved.version());
      }
    }

    @Test
    @DisplayName("unknown fields at every level survive a round trip, in order")
    void extraFieldsSurvive() {
      ConversationReference ref = SampleReferences.withExtras();
      repository.save(ref);
      ConversationReference back = repository.find(ref.key()).orElseThrow().reference();
      assertThat(back).isEqualTo(ref);
      assertThat(ReferenceJson.write(back)).isEqualTo(ReferenceJson.write(ref));
    }

    @Test
    @DisplayName(
        "awkward ids (Teams threads, / \\ # ? %, quotes, emoji, 1,000 chars) are stored and returned exactly")
    void nastyIdsRoundTrip() {
      List<String> ids = SampleReferences.nastyConversationIds();
      for (String channel : List.of("msteams", "emulator")) {
        for (String id : ids) {
          ConversationReference ref = SampleReferences.reference(channel, id, "tenant-1");
          repository.save(ref);
          Optional<StoredReference> found = repository.find(ReferenceKey.of(channel, id));
          assertThat(found).as("find %s/%s", channel, id).isPresent();
          assertThat(found.get().reference()).isEqualTo(ref);
          assertThat(found.get().reference().conversation().id()).isEqualTo(id);
        }
      }
      Set<String> listed =
          listAll(ListQuery.channel("msteams").withPageSize(5)).stream()
              .map(s -> s.reference().conversation().id())
              .collect(Collectors.toSet());
      assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
      for (String id : ids) {
        assertThat(repository.delete(ReferenceKey.of("emulator", id))).as("delete %s", id).isTrue();
      }
      assertThat(listAll(ListQuery.channel("emulator"))).isEmpty();
      assertThat(listAll(ListQuery.channel("msteams"))).hasSize(ids.size());
    }

    @Test
    @DisplayName("ids that differ only in case, accents or trailing space are different keys")
    void nearlyEqualIdsAreDistinct() {
      List<String> ids = List.of("Conv", "conv", "CONV", "conv ", "cönv", "co\u0308nv");
      for (String id : ids) {
        repository.save(SampleReferences.reference("msteams", id, null));
      }
      for (String id : ids) {
        assertThat(
                repository
                    .find(ReferenceKey.of("msteams", id))
                    .orElseThrow()
                    .reference()
                    .conversation()
                    .id())
            .isEqualTo(id);
      }
      assertThat(listAll(ListQuery.all())).hasSize(ids.size());
    }

    @Test
    @DisplayName("blank or missing ids are refused with a message naming the field")
    void blankIdsRefused() {
      assertThatThrownBy(() -> ReferenceKey.of(" ", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("channelId");
      assertThatThrownBy(() -> ReferenceKey.of("msteams", ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conversationId");
      assertThatThrownBy(() -> ConversationAccount.of("  "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conversation.id");
      assertThat(listAll(ListQuery.all())).isEmpty();
    }

    @Test
    @DisplayName("a reference larger than the limit is refused whole; nothing is stored")
    void oversizedReferenceRefused() {
      ConversationReference big = SampleReferences.reference("msteams", "big", null);
      big =
          new ConversationReference(
              big.activityId(),
              big.user(),
              big.bot(),
              big.conversation(),
              big.channelId(),
              big.locale(),
              big.serviceUrl(),
              Map.of("blob", "x".repeat(ReferenceDocument.MAX_JSON_BYTES)));
      ConversationReference tooBig = big;
      assertThatThrownBy(() -> repository.save(tooBig))
          .isInstanceOf(ReferenceTooLargeException.class);
      assertThatThrownBy(() -> repository.insertIfAbsent(tooBig))
          .isInstanceOf(ReferenceTooLargeException.class);
      assertThat(repository.find(tooBig.key())).isEmpty();
    }
  }

  // ---------------------------------------------------------------- writes

  /** Writes: last write wins, insert-if-absent, compare-and-set, batches. */
  @Nested
  @DisplayName("writes")
  class Writes {

    @Test
    @DisplayName("save is an upsert: last write wins and each write gets a new version")
    void saveIsLastWriteWins() {
      ConversationReference first = SampleReferences.reference("msteams", "c1", "t");
      ConversationReference second =
          SampleReferences.reference("msteams", "c1", "t")
              .withServiceUrl("https://smba.trafficmanager.net/amer/");
      StoredReference v1 = repository.save(first);
      StoredReference v2 = repository.save(second);
      assertThat(v1.version()).isNotBlank();
      assertThat(v2.version()).isNotBlank().isNotEqualTo(v1.version());
      StoredReference found = repository.find(first.key()).orElseThrow();
      assertThat(found.reference()).isEqualTo(second);
      assertThat(found.version()).isEqualTo(v2.version());
      assertThat(listAll(ListQuery.all())).hasSize(1);
    }

    @Test
    @DisplayName("find of an unknown key is empty")
    void findAbsentIsEmpty() {
      assertThat(repository.find(ReferenceKey.of("msteams", "nobody"))).isEmpty();
    }

    @Test
    @DisplayName("insertIfAbsent writes once; a second insert changes nothing")
    void insertIfAbsent() {
      ConversationReference a = SampleReferences.reference("msteams", "c1", null);
      ConversationReference b = a.withServiceUrl("https://other.botframework.com/");
      Optional<StoredReference> first = repository.insertIfAbsent(a);
      assertThat(first).isPresent();
      assertThat(repository.insertIfAbsent(b)).isEmpty();
      StoredReference found = repository.find(a.key()).orElseThrow();
      assertThat(found.reference()).isEqualTo(a);
      assertThat(found.version()).isEqualTo(first.get().version());
    }

    @Test
    @Timeout(120)
    @DisplayName("16 threads racing insertIfAbsent on one key: exactly one wins")
    void insertIfAbsentRace() throws Exception {
      for (int round = 0; round < 5; round++) {
        String id = "race-" + round;
        int threads = 16;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<Optional<StoredReference>>> results = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            String url = "https://smba.trafficmanager.net/t" + t + "/";
            results.add(
                pool.submit(
                    () -> {
                      barrier.await(30, TimeUnit.SECONDS);
                      return repository.insertIfAbsent(
                          SampleReferences.reference("msteams", id, null).withServiceUrl(url));
                    }));
          }
          List<StoredReference> winners = new ArrayList<>();
          for (Future<Optional<StoredReference>> f : results) {
            f.get().ifPresent(winners::add);
          }
          assertThat(winners).as("winners of round %d", round).hasSize(1);
          StoredReference stored = repository.find(ReferenceKey.of("msteams", id)).orElseThrow();
          assertThat(stored.reference()).isEqualTo(winners.get(0).reference());
          assertThat(stored.version()).isEqualTo(winners.get(0).version());
        } finally {
          pool.shutdownNow();
        }
      }
    }

    @Test
    @DisplayName("replace with the current version succeeds and returns a new version")
    void replaceWithCurrentVersion() {
      ConversationReference a = SampleReferences.reference("msteams", "c1", null);
      StoredReference v1 = repository.save(a);
      ConversationReference b = a.withServiceUrl("https://smba.trafficmanager.net/amer/");
      StoredReference v2 = repository.replace(b, v1.version());
      assertThat(v2.version()).isNotEqualTo(v1.version());
      assertThat(repository.find(a.key()).orElseThrow()).isEqualTo(v2);
    }

    @Test
    @DisplayName("replace with a stale version raises a conflict and overwrites nothing")
    void replaceWithStaleVersionConflicts() {
      ConversationReference a = SampleReferences.reference("msteams", "c1", null);
      StoredReference v1 = repository.save(a);
      ConversationReference b = a.withServiceUrl("https://smba.trafficmanager.net/b/");
      StoredReference v2 = repository.save(b);
      ConversationReference c = a.withServiceUrl("https://smba.trafficmanager.net/c/");
      assertThatThrownBy(() -> repository.replace(c, v1.version()))
          .isInstanceOf(VersionConflictException.class)
          .satisfies(e -> assertThat(((VersionConflictException) e).key()).isEqualTo(a.key()));
      assertThat(repository.find(a.key()).orElseThrow()).isEqualTo(v2);
    }

    @Test
    @DisplayName("replace of a reference that does not exist raises a conflict and creates nothing")
    void replaceAbsentConflicts() {
      ConversationReference a = SampleReferences.reference("msteams", "ghost", null);
      assertThatThrownBy(() -> repository.replace(a, "1"))
          .isInstanceOf(VersionConflictException.class);
      assertThat(repository.find(a.key())).isEmpty();
    }

    @Test
    @Timeout(120)
    @DisplayName("8 threads replacing from the same version: exactly one wins")
    void replaceRace() throws Exception {
      ConversationReference a = SampleReferences.reference("msteams", "cas", null);
      StoredReference base = repository.save(a);
      int threads = 8;
      CyclicBarrier barrier = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String url = "https://smba.trafficmanager.net/r" + t + "/";
          results.add(
              pool.submit(
                  () -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    try {
                      repository.replace(a.withServiceUrl(url), base.version());
                      return true;
                    } catch (VersionConflictException e) {
                      return false;
                    }
                  }));
        }
        int wins = 0;
        for (Future<Boolean> f : results) {
          wins += f.get() ? 1 : 0;
        }
        assertThat(wins).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("saveAll stores every reference and returns them in order")
    void saveAllStoresEverything() {
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        refs.add(SampleReferences.reference("msteams", "batch-" + i, null));
      }
      refs.add(SampleReferences.reference("msteams", "batch-0", "replaced-in-same-batch"));
      List<StoredReference> stored = repository.saveAll(refs);
      assertThat(stored).hasSize(refs.size());
      for (int i = 0; i < refs.size(); i++) {
        assertThat(stored.get(i).reference()).isEqualTo(refs.get(i));
      }
      assertThat(
              repository
                  .find(ReferenceKey.of("msteams", "batch-0"))
                  .orElseThrow()
                  .reference()
                  .conversation()
                  .tenantId())
          .isEqualTo("replaced-in-same-batch");
      assertThat(listAll(ListQuery.all())).hasSize(60);
      // as saves one by one: the last one's version is what is stored, the first one's is stale
      StoredReference last = stored.get(refs.size() - 1);
      assertThat(repository.find(last.key()).orElseThrow().version()).isEqualTo(last.version());
      assertThatThrownBy(() -> repository.replace(refs.get(0), stored.get(0).version()))
          .isInstanceOf(VersionConflictException.class);
      assertThat(repository.replace(refs.get(0), last.version()).reference())
          .isEqualTo(refs.get(0));
    }
  }

  // ---------------------------------------------------------------- delete

  /** Deletes: idempotent and versioned, raced, and random sequences against a map model. */
  @Nested
  @DisplayName("deletes")
  class Deletes {

    @Test
    @DisplayName("delete is idempotent: true once, then false")
    void deleteIsIdempotent() {
      ConversationReference a = SampleReferences.reference("msteams", "c1", null);
      repository.save(a);
      assertThat(repository.delete(a.key())).isTrue();
      assertThat(repository.delete(a.key())).isFalse();
      assertThat(repository.find(a.key())).isEmpty();
      assertThat(listAll(ListQuery.all())).isEmpty();
      assertThat(repository.insertIfAbsent(a)).as("insert after delete").isPresent();
    }

    @Test
    @DisplayName(
        "versioned delete: a stale version conflicts and deletes nothing; the current one deletes")
    void versionedDelete() {
      ConversationReference a = SampleReferences.reference("msteams", "c1", null);
      StoredReference v1 = repository.save(a);
      StoredReference v2 = repository.save(a);
      assertThatThrownBy(() -> repository.delete(a.key(), v1.version()))
          .isInstanceOf(VersionConflictException.class);
      assertThat(repository.find(a.key())).isPresent();
      assertThat(repository.delete(a.key(), v2.version())).isTrue();
      assertThat(repository.find(a.key())).isEmpty();
      assertThat(repository.delete(a.key(), v2.version())).as("nothing left to delete").isFalse();
    }

    @Test
    @Timeout(300)
    @DisplayName(
        "8 threads inserting, replacing and deleting one key by version: every version ends once, a stale delete never succeeds")
    void versionedDeleteRace() throws Exception {
      ReferenceKey key = ReferenceKey.of("msteams", "delete-race");
      int threads = 8;
      int perThread = raceOperationsPerThread();
      Set<String> created = ConcurrentHashMap.newKeySet();
      List<String> ended = java.util.Collections.synchronizedList(new ArrayList<>());
      Set<String> endedSet = ConcurrentHashMap.newKeySet();
      Map<String, List<String>> endedBy = new ConcurrentHashMap<>();
      List<String> staleSuccesses = java.util.Collections.synchronizedList(new ArrayList<>());
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
                    java.util.Random random = new java.util.Random(thread);
                    for (int i = 0; i < perThread; i++) {
                      ConversationReference ref =
                          SampleReferences.reference(
                              "msteams", "delete-race", "t" + thread + "-" + i);
                      Optional<StoredReference> current = repository.find(key);
                      if (current.isEmpty()) {
                        repository.insertIfAbsent(ref).ifPresent(s -> created.add(s.version()));
                        continue;
                      }
                      String v = current.get().version();
                      int pick = random.nextInt(3);
                      try {
                        if (pick == 0) {
                          StoredReference s = repository.replace(ref, v);
                          created.add(s.version());
                          ended.add(v);
                          endedSet.add(v);
                          endedBy
                              .computeIfAbsent(
                                  v, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                              .add("replaced by thread " + thread + " with " + s.version());
                        } else if (pick == 1) {
                          if (repository.delete(key, v)) {
                            ended.add(v);
                            endedSet.add(v);
                            endedBy
                                .computeIfAbsent(
                                    v,
                                    k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add("deleted by thread " + thread);
                          }
                        } else {
                          // a version known to be replaced or deleted already: must never delete
                          // anything
                          String stale = endedSet.stream().findAny().orElse(null);
                          if (stale != null && repository.delete(key, stale)) {
                            staleSuccesses.add(stale);
                          }
                        }
                      } catch (VersionConflictException e) {
                        // another thread changed it first: fine
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(staleSuccesses)
          .as("deletes with an already-ended version that returned true")
          .isEmpty();
      Map<String, List<String>> endedTwice = new HashMap<>();
      endedBy.forEach(
          (v, by) -> {
            if (by.size() > 1) {
              endedTwice.put(v, by);
            }
          });
      assertThat(endedTwice).as("versions ended (replaced or deleted) more than once").isEmpty();
      assertThat(ended).doesNotHaveDuplicates();
      Set<String> expectedEnded = new HashSet<>(created);
      repository
          .find(key)
          .ifPresent(
              s -> {
                assertThat(created)
                    .as("the final version was written by this test")
                    .contains(s.version());
                expectedEnded.remove(s.version());
              });
      assertThat(new HashSet<>(ended))
          .as("every version but the final one ended exactly once")
          .isEqualTo(expectedEnded);
    }

    @Test
    @Timeout(300)
    @DisplayName(
        "seeded random sequences of save, insertIfAbsent, replace, delete and find agree with a map model")
    void randomOperationSequencesAgreeWithAMapModel() {
      java.util.Random random = new java.util.Random(20_261_201L);
      for (int sequence = 0; sequence < 20; sequence++) {
        OperationModel.run(repository, "model-" + sequence, OperationModel.randomOps(random, 40));
      }
    }
  }

  // ---------------------------------------------------------------- listing

  /** Listing: paging, filters, segments, cursors and the lazy stream. */
  @Nested
  @DisplayName("listing")
  class Listing {

    @Test
    @DisplayName(
        "a cursor is bound to its query and store: another query's, another store's or an edited"
            + " cursor is refused with IllegalArgumentException; the page size may change")
    void cursorBoundToQueryAndStore() {
      for (int i = 0; i < 6; i++) {
        repository.save(SampleReferences.reference("msteams", "bound-" + i, "tenant-a"));
      }
      ListQuery all = ListQuery.all().withPageSize(2);
      String cursor = repository.list(all).next();
      assertThat(cursor).as("six references, pages of two: a next page").isNotNull();

      // the same query goes on, with another page size too
      assertThat(repository.list(all.withCursor(cursor)).items()).isNotEmpty();
      assertThat(repository.list(all.withPageSize(5).withCursor(cursor)).items()).isNotEmpty();

      for (ListQuery other :
          List.of(
              ListQuery.channel("msteams").withPageSize(2),
              ListQuery.all().withTenant("tenant-a").withPageSize(2),
              ListQuery.all().withSegment(Segment.of(0, 2)).withPageSize(2))) {
        assertThatThrownBy(() -> repository.list(other.withCursor(cursor)))
            .as("a cursor of ListQuery.all() used with %s", other)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("another query");
      }

      // a cursor of another store, for the same query
      InMemoryReferenceRepository elsewhere = new InMemoryReferenceRepository();
      for (int i = 0; i < 3; i++) {
        elsewhere.save(SampleReferences.reference("msteams", "bound-" + i, "tenant-a"));
      }
      String foreign = elsewhere.list(all).next();
      assertThat(foreign).isNotNull();
      assertThatThrownBy(() -> repository.list(all.withCursor(foreign)))
          .as("a cursor of another store")
          .isInstanceOf(IllegalArgumentException.class);

      // an edited cursor: every single-character change is refused or means the same position
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      for (int at = 3; at < cursor.length(); at++) {
        char c = cursor.charAt(at);
        char swapped = alphabet.charAt((alphabet.indexOf(c) + 1) % alphabet.length());
        String edited = cursor.substring(0, at) + swapped + cursor.substring(at + 1);
        try {
          Page p = repository.list(all.withCursor(edited));
          assertThat(p.items())
              .as("an edit the decoder ignores (padding bits) must mean the same position")
              .isEqualTo(repository.list(all.withCursor(cursor)).items());
        } catch (IllegalArgumentException expected) {
          // refused before reaching the backend
        }
      }
      assertThatThrownBy(() -> repository.list(all.withCursor(cursor.substring(0, 12))))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("paging returns every reference exactly once, for any page size")
    void pagingReturnsEverythingOnce() {
      Set<String> expected = new HashSet<>();
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        refs.add(SampleReferences.reference("msteams", "p-" + i, null));
        expected.add("p-" + i);
      }
      repository.saveAll(refs);
      for (int size : new int[] {1, 7, 100, 250, 1000}) {
        if (size == 1) {
          // one-item pages over a smaller set keep this quick on slow backends
          assertThat(ids(listAll(ListQuery.all().withPageSize(size))).size()).isEqualTo(250);
          continue;
        }
        List<StoredReference> all = listAll(ListQuery.all().withPageSize(size));
        assertThat(ids(all)).as("page size %d", size).containsExactlyInAnyOrderElementsOf(expected);
      }
    }

    @Test
    @DisplayName("a page never holds more than the page size")
    void pageSizeIsRespected() {
      for (int i = 0; i < 30; i++) {
        repository.save(SampleReferences.reference("msteams", "s-" + i, null));
      }
      ListQuery q = ListQuery.all().withPageSize(7);
      int pages = 0;
      while (true) {
        Page p = repository.list(q);
        assertThat(p.items().size()).isLessThanOrEqualTo(7);
        pages++;
        if (p.next() == null) {
          break;
        }
        q = q.withCursor(p.next());
        assertThat(pages).as("pages").isLessThan(100);
      }
      assertThat(pages).isGreaterThanOrEqualTo(5);
    }

    @Test
    @Timeout(300)
    @DisplayName(
        "while others insert and delete, paging returns every untouched reference exactly once")
    void pagingIsStableUnderConcurrentWrites() throws Exception {
      int n = 400;
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        refs.add(SampleReferences.reference("msteams", "pre-" + i, null));
      }
      repository.saveAll(refs);
      Set<String> deleted = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(1);
      ExecutorService writer = Executors.newSingleThreadExecutor();
      Future<?> writes =
          writer.submit(
              () -> {
                int i = 0;
                started.countDown();
                while (!stop.get() && i < 2000) {
                  repository.save(SampleReferences.reference("msteams", "new-" + i, null));
                  if (i % 3 == 0 && i / 3 < n) {
                    String victim = "pre-" + (i / 3 * 7 % n);
                    deleted.add(victim);
                    repository.delete(ReferenceKey.of("msteams", victim));
                  }
                  i++;
                }
                return null;
              });
      started.await();
      Map<String, Integer> seen = new HashMap<>();
      ListQuery q = ListQuery.channel("msteams").withPageSize(13);
      try {
        while (true) {
          Page p = repository.list(q);
          for (StoredReference s : p.items()) {
            seen.merge(s.reference().conversation().id(), 1, Integer::sum);
          }
          if (p.next() == null) {
            break;
          }
          q = q.withCursor(p.next());
        }
      } finally {
        stop.set(true);
        writes.get();
        writer.shutdownNow();
      }
      seen.forEach((id, count) -> assertThat(count).as("times %s was listed", id).isEqualTo(1));
      for (int i = 0; i < n; i++) {
        String id = "pre-" + i;
        if (!deleted.contains(id)) {
          assertThat(seen).as("untouched %s listed", id).containsKey(id);
        }
      }
    }

    @Test
    @DisplayName("channel and tenant filters return exactly the matching references")
    void channelAndTenantFilters() {
      for (int i = 0; i < 20; i++) {
        repository.save(SampleReferences.reference("msteams", "t1-" + i, "tenant-1"));
        repository.save(SampleReferences.reference("msteams", "t2-" + i, "tenant-2"));
        repository.save(SampleReferences.reference("msteams", "nt-" + i, null));
        repository.save(SampleReferences.reference("emulator", "e-" + i, null));
        repository.save(SampleReferences.reference("directline", "d-" + i, "tenant-1"));
      }
      assertThat(listAll(ListQuery.all().withPageSize(9))).hasSize(100);
      assertThat(ids(listAll(ListQuery.channel("msteams").withPageSize(9))))
          .hasSize(60)
          .allMatch(id -> id.startsWith("t1-") || id.startsWith("t2-") || id.startsWith("nt-"));
      assertThat(ids(listAll(ListQuery.channel("msteams").withTenant("tenant-1").withPageSize(9))))
          .hasSize(20)
          .allMatch(id -> id.startsWith("t1-"));
      assertThat(ids(listAll(ListQuery.all().withTenant("tenant-1").withPageSize(9))))
          .hasSize(40)
          .allMatch(id -> id.startsWith("t1-") || id.startsWith("d-"));
      assertThat(ids(listAll(ListQuery.channel("emulator"))))
          .hasSize(20)
          .allMatch(id -> id.startsWith("e-"));
      assertThat(listAll(ListQuery.channel("slack"))).isEmpty();
      assertThat(listAll(ListQuery.channel("msteams").withTenant("tenant-3"))).isEmpty();
    }

    @Test
    @DisplayName(
        "segments 1..8 partition the listing exactly: disjoint, complete, with and without filters")
    void segmentsPartitionExactly() {
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        refs.add(
            SampleReferences.reference(
                i % 4 == 0 ? "emulator" : "msteams", "seg-" + i, i % 2 == 0 ? "tenant-1" : null));
      }
      repository.saveAll(refs);
      for (ListQuery base :
          List.of(
              ListQuery.all(),
              ListQuery.channel("msteams"),
              ListQuery.channel("msteams").withTenant("tenant-1"))) {
        Set<String> whole = keys(listAll(base.withPageSize(50)));
        for (int count = 1; count <= 8; count++) {
          Set<String> union = new HashSet<>();
          int total = 0;
          for (int index = 0; index < count; index++) {
            Set<String> part =
                keys(listAll(base.withSegment(Segment.of(index, count)).withPageSize(17)));
            total += part.size();
            union.addAll(part);
          }
          assertThat(total).as("disjoint: %d segments of %s", count, base).isEqualTo(whole.size());
          assertThat(union).as("complete: %d segments of %s", count, base).isEqualTo(whole);
        }
      }
    }

    @Test
    @DisplayName("a cursor this store never produced is refused with IllegalArgumentException")
    void foreignCursorRefused() {
      repository.save(SampleReferences.reference("msteams", "c", null));
      assertThatThrownBy(() -> repository.list(ListQuery.all().withCursor("not-a-cursor-#?/")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(1800)
    @DisplayName(
        "stream() walks a large store lazily: never more than one page held, every reference once")
    void streamIsLazyAndComplete() {
      int volume = streamVolume();
      seedInParallel(volume);
      int pageSize = 500;
      AtomicLong fetched = new AtomicLong();
      ReferenceRepository counting = new CountingRepository(repository, fetched);
      AtomicLong consumed = new AtomicLong();
      AtomicLong maxAhead = new AtomicLong();
      java.util.BitSet seen = new java.util.BitSet(volume);
      AtomicLong duplicates = new AtomicLong();
      try (Stream<StoredReference> s =
          counting.stream(ListQuery.channel("msteams").withPageSize(pageSize))) {
        s.forEach(
            r -> {
              long c = consumed.incrementAndGet();
              maxAhead.accumulateAndGet(fetched.get() - c, Math::max);
              int i = Integer.parseInt(r.reference().conversation().id().substring(2));
              if (seen.get(i)) {
                duplicates.incrementAndGet();
              }
              seen.set(i);
            });
      }
      assertThat(duplicates.get()).isZero();
      assertThat(seen.cardinality()).isEqualTo(volume);
      assertThat(maxAhead.get()).as("references fetched but not yet consumed").isLessThan(pageSize);
    }
  }

  /**
   * Writes references {@code v-0 … v-(volume-1)} on channel {@code msteams} in batches of 1,000,
   * four batches at a time: seeding is what the streaming test spends its time on, and backends
   * answer several batches at once far faster than one after another.
   */
  private void seedInParallel(int volume) {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int from = 0; from < volume; from += 1000) {
        int start = from;
        int end = Math.min(volume, from + 1000);
        writes.add(
            pool.submit(
                () -> {
                  List<ConversationReference> batch = new ArrayList<>(end - start);
                  for (int i = start; i < end; i++) {
                    batch.add(SampleReferences.reference("msteams", "v-" + i, null));
                  }
                  repository.saveAll(batch);
                }));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while seeding", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("seeding failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- TTL

  /** Time to live, with an injected clock. */
  @Nested
  @DisplayName("expiry")
  class Expiry {

    @Test
    @DisplayName("with a TTL, an expired reference is absent for every operation; purge removes it")
    void ttlExpiry() {
      MutableClock clock = MutableClock.now();
      ReferenceRepository ttl =
          createRepository(StoreOptions.defaults().withTtl(Duration.ofHours(1)).withClock(clock));
      ConversationReference a = SampleReferences.reference("msteams", "ttl-a", null);
      ConversationReference b = SampleReferences.reference("msteams", "ttl-b", null);
      StoredReference va = ttl.save(a);
      clock.advance(Duration.ofMinutes(30));
      ttl.save(b);
      clock.advance(Duration.ofMinutes(29));
      assertThat(ttl.find(a.key())).as("a before expiry").isPresent();
      clock.advance(Duration.ofMinutes(2));
      assertThat(ttl.find(a.key())).as("a after expiry").isEmpty();
      assertThat(ttl.find(b.key())).as("b not yet expired").isPresent();
      assertThat(ids(listAll(ListQuery.all()))).isEmpty();
      assertThat(ids(listAllOf(ttl, ListQuery.all()))).containsExactly("ttl-b");
      assertThatThrownBy(() -> ttl.replace(a, va.version()))
          .isInstanceOf(VersionConflictException.class);
      assertThat(ttl.insertIfAbsent(a)).as("insert over an expired reference").isPresent();
      clock.advance(Duration.ofMinutes(61));
      assertThat(ttl.find(a.key())).isEmpty();
      assertThat(listAllOf(ttl, ListQuery.all())).isEmpty();
      if (ttl instanceof PurgeableRepository p) {
        assertThat(p.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(p.purgeExpired()).isZero();
      }
      StoredReference fresh = ttl.save(a);
      assertThat(ttl.find(a.key())).contains(fresh);
    }

    @Test
    @DisplayName("saving again extends a TTL")
    void saveRefreshesTtl() {
      MutableClock clock = MutableClock.now();
      ReferenceRepository ttl =
          createRepository(StoreOptions.defaults().withTtl(Duration.ofHours(1)).withClock(clock));
      ConversationReference a = SampleReferences.reference("msteams", "ttl-refresh", null);
      ttl.save(a);
      clock.advance(Duration.ofMinutes(50));
      ttl.save(a);
      clock.advance(Duration.ofMinutes(50));
      assertThat(ttl.find(a.key())).isPresent();
    }
  }

  // ---------------------------------------------------------------- purging

  /**
   * {@link PurgeableRepository#purgeExpired()}: removes exactly the expired references, counts each
   * once, and never removes one that another thread is writing. Every store the kit checks must be
   * purgeable: expired references are invisible, and their space must be reclaimable.
   */
  @Nested
  @DisplayName("purging")
  class Purging {

    private final MutableClock clock = MutableClock.now();

    private PurgeableRepository purgeable(Duration ttl) {
      ReferenceRepository r =
          createRepository(StoreOptions.defaults().withTtl(ttl).withClock(clock));
      assertThat(r)
          .as("the store implements PurgeableRepository")
          .isInstanceOf(PurgeableRepository.class);
      return (PurgeableRepository) r;
    }

    private List<ConversationReference> refs(String prefix, int n) {
      List<ConversationReference> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(
            SampleReferences.reference(
                i % 3 == 0 ? "emulator" : "msteams", prefix + i, i % 2 == 0 ? "tenant-1" : null));
      }
      return out;
    }

    @Test
    @DisplayName("purgeExpired removes exactly the expired references and counts them; then zero")
    void purgeRemovesExactlyTheExpiredOnes() {
      PurgeableRepository p = purgeable(Duration.ofHours(1));
      List<ConversationReference> old = refs("old-", 40);
      p.saveAll(old);
      ConversationReference refreshed = old.get(7);
      clock.advance(Duration.ofMinutes(40));
      List<ConversationReference> young = refs("young-", 15);
      p.saveAll(young);
      StoredReference refreshedNow = p.save(refreshed);
      clock.advance(Duration.ofMinutes(21));
      assertThat(p.purgeExpired()).as("the 39 expired references").isEqualTo(39);
      assertThat(p.purgeExpired()).as("a second purge").isZero();
      Set<String> expected =
          young.stream()
              .map(r -> r.conversation().id())
              .collect(Collectors.toCollection(HashSet::new));
      expected.add(refreshed.conversation().id());
      assertThat(ids(listAllOf(p, ListQuery.all().withPageSize(7))))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(p.find(refreshed.key())).contains(refreshedNow);
      for (ConversationReference r : young) {
        assertThat(p.find(r.key())).as("%s", r.key()).isPresent();
      }
      for (ConversationReference r : old) {
        if (!r.equals(refreshed)) {
          assertThat(p.find(r.key())).as("%s", r.key()).isEmpty();
          assertThat(p.insertIfAbsent(r)).as("insert over purged %s", r.key()).isPresent();
        }
      }
      assertThat(listAllOf(p, ListQuery.all())).hasSize(old.size() + young.size());
    }

    @Test
    @DisplayName("without a TTL nothing expires: purgeExpired removes nothing")
    void purgeWithoutTtlRemovesNothing() {
      ReferenceRepository r = createRepository(StoreOptions.defaults().withClock(clock));
      assertThat(r).isInstanceOf(PurgeableRepository.class);
      PurgeableRepository p = (PurgeableRepository) r;
      p.saveAll(refs("kept-", 20));
      clock.advance(Duration.ofDays(3650));
      assertThat(p.purgeExpired()).isZero();
      assertThat(listAllOf(p, ListQuery.all())).hasSize(20);
      assertThat(p.purgeExpired()).as("an empty store too").isZero();
    }

    @Test
    @Timeout(300)
    @DisplayName(
        "while another thread writes new and expired keys, purge removes no live reference and counts each expired one at most once")
    void purgeIsSafeWhileOthersWrite() throws Exception {
      PurgeableRepository p = purgeable(Duration.ofHours(1));
      List<ConversationReference> expired = refs("exp-", 60);
      p.saveAll(expired);
      clock.advance(Duration.ofHours(2));
      List<ConversationReference> written =
          java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService writer = Executors.newSingleThreadExecutor();
      CountDownLatch started = new CountDownLatch(1);
      long first;
      try {
        Future<?> writes =
            writer.submit(
                () -> {
                  started.countDown();
                  for (int i = 0; i < 30; i++) {
                    ConversationReference fresh =
                        SampleReferences.reference("msteams", "fresh-" + i, null);
                    p.save(fresh);
                    written.add(fresh);
                    // revive an expired key: a purge racing this save must not remove it
                    ConversationReference revived = expired.get(i * 2);
                    p.save(revived);
                    written.add(revived);
                  }
                  return null;
                });
        started.await();
        first = p.purgeExpired();
        writes.get();
      } finally {
        writer.shutdownNow();
      }
      long second = p.purgeExpired();
      assertThat(first + second)
          .as(
              "purged in total (each expired key at most once, the revived ones perhaps before their save)")
          .isBetween(30L, 60L);
      assertThat(p.purgeExpired()).as("nothing expired is left").isZero();
      for (ConversationReference r : written) {
        assertThat(p.find(r.key())).as("written while purging: %s", r.key()).isPresent();
      }
      assertThat(listAllOf(p, ListQuery.all().withPageSize(50))).hasSize(60);
    }

    @Test
    @Timeout(300)
    @DisplayName("two purges racing count every expired reference exactly once between them")
    void racingPurgesCountEachOnce() throws Exception {
      PurgeableRepository p = purgeable(Duration.ofHours(1));
      p.saveAll(refs("race-", 80));
      clock.advance(Duration.ofHours(2));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          counts.add(
              pool.submit(
                  () -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return p.purgeExpired();
                  }));
        }
        assertThat(counts.get(0).get() + counts.get(1).get()).isEqualTo(80);
      } finally {
        pool.shutdownNow();
      }
      assertThat(p.purgeExpired()).isZero();
      assertThat(listAllOf(p, ListQuery.all())).isEmpty();
    }
  }

  // ---------------------------------------------------------------- concurrency

  /** Concurrent writers. */
  @Nested
  @DisplayName("concurrency")
  class Concurrency {

    @Test
    @Timeout(600)
    @DisplayName("8 concurrent writers lose no acknowledged write")
    void concurrentWritersLoseNothing() throws Exception {
      int threads = 8;
      int perThread = 250;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      Map<String, Set<String>> acknowledgedVersions = new ConcurrentHashMap<>();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      // own key: must survive exactly
                      StoredReference own =
                          repository.save(
                              SampleReferences.reference("msteams", "w" + thread + "-" + i, null));
                      assertThat(own.version()).isNotBlank();
                      // shared key: some acknowledged write must be what remains
                      String shared = "shared-" + (i % 10);
                      StoredReference s =
                          repository.save(
                              SampleReferences.reference("msteams", shared, "t" + thread));
                      acknowledgedVersions
                          .computeIfAbsent(shared, k -> ConcurrentHashMap.newKeySet())
                          .add(s.version());
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          String id = "w" + t + "-" + i;
          assertThat(repository.find(ReferenceKey.of("msteams", id))).as(id).isPresent();
        }
      }
      for (Map.Entry<String, Set<String>> e : acknowledgedVersions.entrySet()) {
        StoredReference now = repository.find(ReferenceKey.of("msteams", e.getKey())).orElseThrow();
        assertThat(e.getValue())
            .as("final version of %s is an acknowledged one", e.getKey())
            .contains(now.version());
      }
      assertThat(listAll(ListQuery.all().withPageSize(500))).hasSize(threads * perThread + 10);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Lists every page of a query on {@link #repository}.
   *
   * @param query the query
   * @return every item
   */
  protected List<StoredReference> listAll(ListQuery query) {
    return listAllOf(repository, query);
  }

  /**
   * Lists every page of a query on a repository, failing on a runaway cursor.
   *
   * @param repo the repository
   * @param query the query
   * @return every item
   */
  protected static List<StoredReference> listAllOf(ReferenceRepository repo, ListQuery query) {
    List<StoredReference> all = new ArrayList<>();
    ListQuery q = query;
    int pages = 0;
    while (true) {
      Page p = repo.list(q);
      assertThat(p.items().size()).isLessThanOrEqualTo(q.pageSize());
      all.addAll(p.items());
      if (p.next() == null) {
        return all;
      }
      assertThat(p.next()).as("cursor must advance").isNotEqualTo(q.cursor());
      q = q.withCursor(p.next());
      if (++pages > 1_000_000) {
        throw new AssertionError("listing does not terminate");
      }
    }
  }

  private static List<String> ids(Collection<StoredReference> refs) {
    return refs.stream().map(s -> s.reference().conversation().id()).collect(Collectors.toList());
  }

  private static Set<String> keys(Collection<StoredReference> refs) {
    Set<String> out = new HashSet<>();
    for (StoredReference s : refs) {
      assertThat(out.add(s.key().channelId() + "\n" + s.key().conversationId()))
          .as("duplicate %s", s.key())
          .isTrue();
    }
    return out;
  }

  /** Delegates everything, counting items returned by list(): proves stream() is lazy. */
  private static final class CountingRepository extends ForwardingReferenceRepository {
    private final AtomicLong fetched;

    CountingRepository(ReferenceRepository d, AtomicLong fetched) {
      super(d);
      this.fetched = fetched;
    }

    @Override
    public Page list(ListQuery q) {
      Page p = super.list(q);
      fetched.addAndGet(p.items().size());
      return p;
    }
  }
}
