package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.InMemoryReferenceRepository;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.Segment;
import dev.beckon.store.StoredReference;
import dev.beckon.store.VersionConflictException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of a {@link ReferenceRepository}, checked with jqwik on the in-memory store: cursor
 * paging returns exactly the data set, for any page size and data set, also while other keys are
 * inserted between pages; random operation sequences agree with a plain map model.
 */
class RepositoryPropertiesTest {

  /**
   * Conversation ids: short, well-formed, from an alphabet of awkward characters (the emoji as a
   * whole surrogate pair: ids with a lone surrogate are issue #15 item 10's, refused by ReferenceKey).
   */
  @Provide
  Arbitrary<Set<String>> dataSets() {
    return Arbitraries.of("a", "b", ":", "/", "#", "?", "%", "é", " ", "😀").list().ofMinSize(1).ofMaxSize(6)
        .map(parts -> String.join("", parts))
        .filter(s -> !s.isBlank())
        .set().ofMaxSize(120);
  }

  private static ConversationReference ref(String channel, String id, int tag) {
    return SampleReferences.reference(channel, id, tag % 2 == 0 ? "tenant-a" : "tenant-b");
  }

  private static List<String> listIds(ReferenceRepository repo, ListQuery query) {
    List<String> out = new ArrayList<>();
    ListQuery q = query;
    for (int pages = 0; ; pages++) {
      assertThat(pages).as("listing terminates").isLessThan(100_000);
      Page p = repo.list(q);
      assertThat(p.items().size()).isLessThanOrEqualTo(q.pageSize());
      p.items().forEach(s -> out.add(s.key().conversationId()));
      if (p.next() == null) {
        return out;
      }
      q = q.withCursor(p.next());
    }
  }

  @Property(tries = 200)
  void pagingReturnsExactlyTheDataSet(@ForAll("dataSets") Set<String> ids, @ForAll @IntRange(min = 1, max = 40) int pageSize,
      @ForAll @IntRange(min = 1, max = 5) int segments) {
    ReferenceRepository repo = new InMemoryReferenceRepository();
    int i = 0;
    for (String id : ids) {
      repo.save(ref("msteams", id, i++));
      repo.save(ref("emulator", id, i));
    }
    assertThat(listIds(repo, ListQuery.channel("msteams").withPageSize(pageSize)))
        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    assertThat(listIds(repo, ListQuery.all().withPageSize(pageSize))).hasSize(2 * ids.size());
    List<String> union = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      union.addAll(listIds(repo, ListQuery.channel("emulator").withSegment(Segment.of(s, segments)).withPageSize(pageSize)));
    }
    assertThat(union).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
  }

  @Property(tries = 200)
  void pagingLosesNoPreExistingKeyWhileOthersAreInsertedBetweenPages(@ForAll("dataSets") Set<String> ids,
      @ForAll @IntRange(min = 1, max = 30) int pageSize, @ForAll @IntRange(min = 0, max = 5) int insertsPerPage) {
    ReferenceRepository repo = new InMemoryReferenceRepository();
    for (String id : ids) {
      repo.save(ref("msteams", id, 0));
    }
    List<String> seen = new ArrayList<>();
    ListQuery q = ListQuery.channel("msteams").withPageSize(pageSize);
    int inserted = 0;
    while (true) {
      Page p = repo.list(q);
      p.items().forEach(s -> seen.add(s.key().conversationId()));
      for (int k = 0; k < insertsPerPage; k++) {
        repo.save(ref("msteams", "new-" + inserted++, k));
      }
      if (p.next() == null) {
        break;
      }
      q = q.withCursor(p.next());
    }
    assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
    assertThat(seen).allMatch(id -> ids.contains(id) || id.startsWith("new-"));
  }

  // ------------------------------------------------------------------ model-based sequences

  enum Kind { SAVE, INSERT_IF_ABSENT, REPLACE_CURRENT, REPLACE_STALE, DELETE, DELETE_CURRENT, DELETE_STALE, FIND }

  record Op(Kind kind, int key, int tag) {}

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<Op> op = Combinators.combine(
        Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 9))
        .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  /** What the model holds per key: the tag written last and its version. */
  record Held(int tag, String version) {}

  @Property(tries = 300)
  void randomOperationSequencesAgreeWithAMapModel(@ForAll("sequences") @Size(max = 60) List<Op> ops) {
    ReferenceRepository repo = new InMemoryReferenceRepository();
    Map<Integer, Held> model = new HashMap<>();
    Map<Integer, List<String>> oldVersions = new HashMap<>();
    for (Op op : ops) {
      ReferenceKey key = ReferenceKey.of("msteams", "k" + op.key());
      ConversationReference r = SampleReferences.reference("msteams", "k" + op.key(), "tag-" + op.tag());
      Held held = model.get(op.key());
      List<String> old = oldVersions.computeIfAbsent(op.key(), k -> new ArrayList<>());
      String stale = old.isEmpty() ? "never-issued" : old.get(op.tag() % old.size());
      switch (op.kind()) {
        case SAVE -> {
          StoredReference s = repo.save(r);
          retire(held, old);
          model.put(op.key(), new Held(op.tag(), s.version()));
        }
        case INSERT_IF_ABSENT -> {
          Optional<StoredReference> s = repo.insertIfAbsent(r);
          assertThat(s.isPresent()).as("%s inserted", op).isEqualTo(held == null);
          s.ifPresent(v -> model.put(op.key(), new Held(op.tag(), v.version())));
        }
        case REPLACE_CURRENT, REPLACE_STALE -> {
          String v = op.kind() == Kind.REPLACE_CURRENT && held != null ? held.version() : stale;
          boolean shouldWin = held != null && held.version().equals(v);
          try {
            StoredReference s = repo.replace(r, v);
            assertThat(shouldWin).as("%s succeeded", op).isTrue();
            retire(held, old);
            model.put(op.key(), new Held(op.tag(), s.version()));
          } catch (VersionConflictException e) {
            assertThat(shouldWin).as("%s conflicted", op).isFalse();
          }
        }
        case DELETE -> {
          assertThat(repo.delete(key)).as("%s", op).isEqualTo(held != null);
          retire(held, old);
          model.remove(op.key());
        }
        case DELETE_CURRENT, DELETE_STALE -> {
          String v = op.kind() == Kind.DELETE_CURRENT && held != null ? held.version() : stale;
          try {
            boolean deleted = repo.delete(key, v);
            assertThat(deleted).as("%s deleted", op).isEqualTo(held != null && held.version().equals(v));
            assertThat(held == null || deleted).as("%s: a mismatch must conflict, not return false", op).isTrue();
            if (deleted) {
              retire(held, old);
              model.remove(op.key());
            }
          } catch (VersionConflictException e) {
            assertThat(held != null && !held.version().equals(v)).as("%s conflicted", op).isTrue();
          }
        }
        case FIND -> { }
      }
      for (int k = 0; k < 4; k++) {
        Held h = model.get(k);
        Optional<StoredReference> found = repo.find(ReferenceKey.of("msteams", "k" + k));
        assertThat(found.map(StoredReference::version)).as("version of k%d after %s", k, op)
            .isEqualTo(Optional.ofNullable(h).map(Held::version));
        found.ifPresent(f -> assertThat(f.reference().conversation().tenantId()).isEqualTo("tag-" + h.tag()));
      }
      Set<String> listed = new HashSet<>(listIds(repo, ListQuery.all().withPageSize(3)));
      Set<String> expected = new HashSet<>();
      model.keySet().forEach(k -> expected.add("k" + k));
      assertThat(listed).as("listing after %s", op).isEqualTo(expected);
    }
  }

  private static void retire(Held held, List<String> old) {
    if (held != null) {
      old.add(held.version());
    }
  }
}
