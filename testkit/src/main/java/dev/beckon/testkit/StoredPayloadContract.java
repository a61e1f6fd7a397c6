package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.UnreadableReferenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract kit for a store that keeps references as serialized payloads in a backend (every
 * store but the in-memory one, which holds decoded references and so cannot hold an unreadable
 * one): everything {@link ReferenceRepositoryContract} checks, plus that one unreadable row does
 * not poison the store. A store's test extends this class and implements {@link
 * #writeRawPayload(ReferenceKey, String)} with the backend's own client:
 *
 * <pre>{@code
 * @Override
 * protected void writeRawPayload(ReferenceKey key, String payload) {
 *   client.hset(((RedisReferenceRepository) repository).hashTag() + ":r:" + key.hash(), "j", payload);
 * }
 * }</pre>
 *
 * <p>What is checked, with garbage, a truncated payload, JSON the codec refuses and another key's
 * payload written straight into the backend: {@code find} of that key raises {@link
 * UnreadableReferenceException} naming it and every other key still reads; listings, filtered
 * listings, segments and streams return every readable reference and report each unreadable row
 * once, with its key; a broadcast delivers to every readable reference and counts each unreadable
 * row as {@code FAILED}, "stored reference unreadable: …"; saving or deleting the key repairs the
 * row.
 *
 * <p>Three more hooks check what the backend holds and how it fails: {@link
 * #readRawPayload(ReferenceKey)} (the payload is {@code ReferenceJson}'s canonical JSON, byte for
 * byte), {@link #createRepositoryWithoutTable()} (every operation over a table never created raises
 * {@link TableMissingException}) and {@link #createUnreachableRepository(Duration)} (every
 * operation against a loopback port nothing listens on raises {@link StoreException}, within the
 * client's timeout).
 */
public abstract class StoredPayloadContract extends ReferenceRepositoryContract {

  /** For subclasses: one per store under test. */
  protected StoredPayloadContract() {}

  /**
   * Overwrites, with the backend's own client, the stored payload of {@code key} in {@link
   * #repository} (the kit saved a reference under that key just before), bypassing the codec and
   * every check; every other field of the row stays as the store wrote it.
   *
   * @param key the key whose row to overwrite
   * @param payload the bytes to store as its payload, exactly
   */
  protected abstract void writeRawPayload(ReferenceKey key, String payload);

  /** The kinds of bad payload, each written under its own key. */
  private Map<String, String> badPayloads(ConversationReference other) {
    ConversationReference sample = SampleReferences.reference("msteams", "sample", null);
    String json = ReferenceJson.write(sample);
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("garbage", "not json at all {{{");
    bad.put("truncated", json.substring(0, json.length() / 2));
    bad.put("refused", json.replaceFirst("\"serviceUrl\":\"[^\"]*\"", "\"serviceUrl\":42"));
    bad.put("other-key", ReferenceJson.write(other));
    bad.put("empty", "");
    return bad;
  }

  /** Saves {@code n} good references plus one row per kind of bad payload; returns the bad keys. */
  private Set<ReferenceKey> fillWithBadRows(String channel, int n) {
    List<ConversationReference> good = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      good.add(SampleReferences.reference(channel, "good-" + i, "tenant-1"));
    }
    repository.saveAll(good);
    Set<ReferenceKey> bad = new HashSet<>();
    for (Map.Entry<String, String> e : badPayloads(good.get(0)).entrySet()) {
      ConversationReference row =
          SampleReferences.reference(channel, "bad-" + e.getKey(), "tenant-1");
      repository.save(row);
      writeRawPayload(row.key(), e.getValue());
      bad.add(row.key());
    }
    return bad;
  }

  /**
   * Reads, with the backend's own client, the stored payload of {@code key} in {@link #repository}
   * exactly as the backend holds it.
   *
   * @param key a key the kit saved just before
   * @return the payload text
   */
  protected abstract String readRawPayload(ReferenceKey key);

  /**
   * A repository over a table (or schema) that was never created, for a backend that keeps
   * references in one; empty for a backend that needs no setup (Redis: a key prefix), for which the
   * kit checks instead that a fresh repository works without any.
   *
   * @return the repository, not set up; or empty
   */
  protected abstract Optional<ReferenceRepository> createRepositoryWithoutTable();

  /**
   * A repository whose backend is a loopback port nothing listens on ({@link
   * #closedLoopbackPort()}), with its client configured to give up after {@code timeout} and not to
   * retry for long. The kit closes nothing: close what you opened in an {@code @AfterEach}.
   *
   * @param timeout how long the client may wait for a connection or an answer
   * @return the repository
   */
  protected abstract ReferenceRepository createUnreachableRepository(Duration timeout);

  /**
   * A loopback TCP port nothing listens on right now: bound, then closed again.
   *
   * @return the port
   */
  protected static int closedLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- stored payload

  /** What the backend holds: the canonical JSON of the reference, byte for byte. */
  @Nested
  @DisplayName("stored payload")
  class StoredPayload {

    @Test
    @DisplayName(
        "the stored payload is ReferenceJson's canonical JSON of the reference, byte for byte")
    void payloadIsCanonicalJson() {
      List<ConversationReference> refs = new ArrayList<>();
      for (String name : SampleReferences.FIXTURES) {
        refs.add(SampleReferences.fixture(name));
      }
      refs.add(SampleReferences.withExtras());
      for (String id : SampleReferences.nastyConversationIds()) {
        refs.add(SampleReferences.reference("msteams", id, "tenant-1"));
      }
      for (ConversationReference ref : refs) {
        repository.save(ref);
        assertThat(readRawPayload(ref.key()))
            .as("payload of %s", ref.key())
            .isEqualTo(ReferenceJson.write(ref));
      }
    }

    @Test
    @DisplayName("saving again replaces the payload; a replace writes the new reference's JSON")
    void payloadFollowsWrites() {
      ConversationReference a = SampleReferences.reference("msteams", "payload", null);
      StoredReference v1 = repository.save(a);
      ConversationReference b = a.withServiceUrl("https://smba.trafficmanager.net/amer/");
      repository.replace(b, v1.version());
      assertThat(readRawPayload(a.key())).isEqualTo(ReferenceJson.write(b));
    }
  }

  // ---------------------------------------------------------------- backend failures

  /** A missing table and an unreachable server fail with the store's documented exceptions. */
  @Nested
  @DisplayName("backend failures")
  class BackendFailures {

    @Test
    @DisplayName(
        "over a table never created, every operation raises TableMissingException naming how to create it")
    void missingTableRaisesTableMissingException() {
      Optional<ReferenceRepository> missing = createRepositoryWithoutTable();
      if (missing.isEmpty()) {
        ReferenceRepository fresh = createRepository(StoreOptions.defaults());
        ConversationReference ref = SampleReferences.reference("msteams", "no-setup", null);
        assertThat(fresh.find(ref.key())).as("a backend without tables needs no setup").isEmpty();
        StoredReference saved = fresh.save(ref);
        assertThat(fresh.find(ref.key())).contains(saved);
        return;
      }
      ReferenceRepository r = missing.get();
      for (Map.Entry<String, Runnable> call : operations(r).entrySet()) {
        assertThatThrownBy(call.getValue()::run)
            .as(call.getKey())
            .isInstanceOf(TableMissingException.class)
            .hasMessageContaining("create");
      }
    }

    @Test
    @Timeout(180)
    @DisplayName(
        "with its server unreachable, every operation raises StoreException within the client's timeout")
    void unreachableServerRaisesStoreException() {
      ReferenceRepository r = createUnreachableRepository(Duration.ofSeconds(2));
      for (Map.Entry<String, Runnable> call : operations(r).entrySet()) {
        assertThatThrownBy(call.getValue()::run)
            .as(call.getKey())
            .isInstanceOf(StoreException.class)
            .isNotInstanceOf(TableMissingException.class)
            .hasMessageNotContaining("AccountKey")
            .hasMessageNotContaining("password");
      }
    }

    private Map<String, Runnable> operations(ReferenceRepository r) {
      ConversationReference ref = SampleReferences.reference("msteams", "failing", null);
      Map<String, Runnable> ops = new LinkedHashMap<>();
      ops.put("save", () -> r.save(ref));
      ops.put("find", () -> r.find(ref.key()));
      ops.put("insertIfAbsent", () -> r.insertIfAbsent(ref));
      ops.put("replace", () -> r.replace(ref, "1"));
      ops.put("delete", () -> r.delete(ref.key()));
      ops.put("list", () -> r.list(ListQuery.all()));
      ops.put("list of a channel", () -> r.list(ListQuery.channel("msteams")));
      ops.put("saveAll", () -> r.saveAll(List.of(ref)));
      if (r instanceof PurgeableRepository p) {
        ops.put("purgeExpired", p::purgeExpired);
      }
      return ops;
    }
  }

  // ---------------------------------------------------------------- unreadable rows

  /** One unreadable row does not poison the store. */
  @Nested
  @DisplayName("unreadable rows")
  class UnreadableRows {

    @Test
    @DisplayName(
        "find of an unreadable row raises UnreadableReferenceException naming its key; other keys still read")
    void findOfAnUnreadableRowNamesItsKey() {
      Set<ReferenceKey> bad = fillWithBadRows("msteams", 3);
      for (ReferenceKey key : bad) {
        assertThatThrownBy(() -> repository.find(key))
            .as("find %s", key)
            .isInstanceOf(UnreadableReferenceException.class)
            .hasMessageContaining(key.conversationId())
            .satisfies(
                e -> {
                  UnreadableReference u = ((UnreadableReferenceException) e).unreadable();
                  assertThat(u.key()).isEqualTo(key);
                  assertThat(u.keyHash()).isEqualTo(key.hash());
                  assertThat(u.reason()).isNotBlank();
                });
      }
      for (int i = 0; i < 3; i++) {
        assertThat(repository.find(ReferenceKey.of("msteams", "good-" + i))).isPresent();
      }
    }

    @Test
    @DisplayName(
        "listing, filters, segments and streams go on past unreadable rows and report each once, with its key")
    void listingsGoOnPastUnreadableRows() {
      Set<ReferenceKey> bad = fillWithBadRows("msteams", 40);
      repository.save(SampleReferences.reference("emulator", "elsewhere", null));
      Set<String> goodIds = new HashSet<>();
      for (int i = 0; i < 40; i++) {
        goodIds.add("good-" + i);
      }
      for (ListQuery q :
          List.of(
              ListQuery.channel("msteams").withPageSize(7),
              ListQuery.all().withPageSize(3),
              ListQuery.channel("msteams").withTenant("tenant-1").withPageSize(1000))) {
        List<StoredReference> items = new ArrayList<>();
        List<UnreadableReference> unreadable = new ArrayList<>();
        listEverything(q, items, unreadable);
        assertThat(
                items.stream()
                    .map(s -> s.key().conversationId())
                    .filter(id -> !id.equals("elsewhere")))
            .as("readable of %s", q)
            .containsExactlyInAnyOrderElementsOf(goodIds);
        assertThat(unreadable.stream().map(UnreadableReference::key))
            .as("unreadable of %s", q)
            .containsExactlyInAnyOrderElementsOf(bad);
        assertThat(unreadable).allSatisfy(u -> assertThat(u.reason()).isNotBlank());
      }
      for (int count = 1; count <= 4; count++) {
        List<StoredReference> items = new ArrayList<>();
        List<UnreadableReference> unreadable = new ArrayList<>();
        for (int index = 0; index < count; index++) {
          listEverything(
              ListQuery.channel("msteams").withSegment(Segment.of(index, count)).withPageSize(11),
              items,
              unreadable);
        }
        assertThat(items).as("%d segments", count).hasSize(40);
        assertThat(unreadable.stream().map(UnreadableReference::key))
            .as("%d segments", count)
            .containsExactlyInAnyOrderElementsOf(bad);
      }
      List<UnreadableReference> reported = new ArrayList<>();
      try (Stream<StoredReference> s =
          repository.stream(ListQuery.channel("msteams").withPageSize(5), reported::add)) {
        assertThat(s.map(r -> r.key().conversationId()))
            .containsExactlyInAnyOrderElementsOf(goodIds);
      }
      assertThat(reported.stream().map(UnreadableReference::key))
          .containsExactlyInAnyOrderElementsOf(bad);
      try (Stream<StoredReference> s = repository.stream(ListQuery.channel("msteams"))) {
        assertThat(s.count()).as("the plain stream skips them").isEqualTo(40);
      }
    }

    private void listEverything(
        ListQuery query, List<StoredReference> items, List<UnreadableReference> unreadable) {
      ListQuery q = query;
      for (int pages = 0; pages < 100_000; pages++) {
        Page p = repository.list(q);
        items.addAll(p.items());
        unreadable.addAll(p.unreadable());
        if (p.next() == null) {
          return;
        }
        q = q.withCursor(p.next());
      }
      throw new AssertionError("listing does not terminate");
    }

    @Test
    @DisplayName("saving or deleting an unreadable row's key repairs it")
    void writesRepairAnUnreadableRow() {
      ConversationReference a = SampleReferences.reference("msteams", "repair-a", null);
      ConversationReference b = SampleReferences.reference("msteams", "repair-b", null);
      repository.save(a);
      repository.save(b);
      writeRawPayload(a.key(), "{");
      writeRawPayload(b.key(), "{");
      StoredReference saved = repository.save(a);
      assertThat(repository.find(a.key())).contains(saved);
      assertThat(repository.delete(b.key())).isTrue();
      assertThat(repository.find(b.key())).isEmpty();
      assertThat(listAll(ListQuery.all())).containsExactly(saved);
    }

    @Test
    @Timeout(120)
    @DisplayName(
        "a broadcast delivers to every readable reference and counts each unreadable row as FAILED, with its key")
    void broadcastGoesOnPastUnreadableRows() {
      try (FakeConnector connector = FakeConnector.start();
          BotConnectorSender sender = BotConnectorSender.builder().anonymous().build()) {
        List<ConversationReference> good = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          good.add(
              SampleReferences.reference("msteams", "b-good-" + i, null)
                  .withServiceUrl(connector.serviceUrl()));
        }
        repository.saveAll(good);
        Set<ReferenceKey> bad = new HashSet<>();
        for (Map.Entry<String, String> e : badPayloads(good.get(0)).entrySet()) {
          ConversationReference row =
              SampleReferences.reference("msteams", "b-bad-" + e.getKey(), null)
                  .withServiceUrl(connector.serviceUrl());
          repository.save(row);
          writeRawPayload(row.key(), e.getValue());
          bad.add(row.key());
        }
        Map<ReferenceKey, BroadcastOutcome> outcomes = new ConcurrentHashMap<>();
        BroadcastReport r =
            Broadcast.builder(repository, sender)
                .id("unreadable")
                .query(ListQuery.channel("msteams").withPageSize(8))
                .message(Activity.message("hello"))
                .profile(RateProfile.unpaced(8))
                .listener(
                    new BroadcastListener() {
                      @Override
                      public void onOutcome(BroadcastOutcome o) {
                        assertThat(outcomes.put(o.key(), o))
                            .as("second outcome for %s", o.key())
                            .isNull();
                      }
                    })
                .build()
                .start()
                .join();
        assertThat(r.listed()).isEqualTo(30 + bad.size());
        assertThat(r.delivered()).isEqualTo(30);
        assertThat(r.failed()).isEqualTo(bad.size());
        assertThat(r.notDelivered().stream().map(BroadcastOutcome::key).collect(Collectors.toSet()))
            .isEqualTo(bad);
        for (ReferenceKey key : bad) {
          BroadcastOutcome o = outcomes.get(key);
          assertThat(o).as("outcome of %s", key).isNotNull();
          assertThat(o.kind()).isEqualTo(BroadcastOutcome.Kind.FAILED);
          assertThat(o.reason()).startsWith("stored reference unreadable: ");
        }
        assertThat(connector.requests()).hasSize(30);
      }
    }
  }
}
