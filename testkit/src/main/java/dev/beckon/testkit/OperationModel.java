package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import dev.beckon.store.VersionConflictException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A plain map model of a {@link ReferenceRepository}: runs a sequence of writes, deletes and finds
 * on a store and on the model side by side, and fails at the first answer or state that differs.
 * Used by the contract kit (seeded sequences on every store) and by the jqwik property of the kit's
 * own tests (generated and shrunk sequences on the in-memory store).
 */
final class OperationModel {

  /**
   * An operation. The {@code _CURRENT} and {@code _STALE} ones pass the model's current or an older
   * version.
   */
  enum Kind {
    SAVE,
    INSERT_IF_ABSENT,
    REPLACE_CURRENT,
    REPLACE_STALE,
    DELETE,
    DELETE_CURRENT,
    DELETE_STALE,
    FIND
  }

  /**
   * One step.
   *
   * @param kind what
   * @param key which of {@link #KEYS} keys
   * @param tag what is written (the tenant id {@code tag-<n>}), and which older version a stale one
   *     picks
   */
  record Op(Kind kind, int key, int tag) {}

  /** How many keys a sequence touches. */
  static final int KEYS = 4;

  private OperationModel() {}

  /** What the model holds per key: the tag written last and its version. */
  private record Held(int tag, String version) {}

  /**
   * A random sequence.
   *
   * @param random the source
   * @param length how many steps
   * @return the steps
   */
  static List<Op> randomOps(Random random, int length) {
    List<Op> ops = new ArrayList<>(length);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < length; i++) {
      ops.add(
          new Op(kinds[random.nextInt(kinds.length)], random.nextInt(KEYS), random.nextInt(10)));
    }
    return ops;
  }

  /**
   * Runs a sequence on an empty channel of a store and on the model, checking every answer, the
   * touched key after every step, and every key and the channel's listing at the end.
   *
   * @param repo the store
   * @param channel a channel id no other data of the store uses
   * @param ops the sequence
   */
  static void run(ReferenceRepository repo, String channel, List<Op> ops) {
    Map<Integer, Held> model = new HashMap<>();
    Map<Integer, List<String>> oldVersions = new HashMap<>();
    for (Op op : ops) {
      ReferenceKey key = ReferenceKey.of(channel, "k" + op.key());
      ConversationReference r =
          SampleReferences.reference(channel, "k" + op.key(), "tag-" + op.tag());
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
            assertThat(deleted)
                .as("%s deleted", op)
                .isEqualTo(held != null && held.version().equals(v));
            assertThat(held == null || deleted)
                .as("%s: a mismatch must conflict, not return false", op)
                .isTrue();
            if (deleted) {
              retire(held, old);
              model.remove(op.key());
            }
          } catch (VersionConflictException e) {
            assertThat(held != null && !held.version().equals(v)).as("%s conflicted", op).isTrue();
          }
        }
        case FIND -> {}
      }
      check(repo, channel, op.key(), model.get(op.key()), op);
    }
    for (int k = 0; k < KEYS; k++) {
      check(repo, channel, k, model.get(k), null);
    }
    Set<String> listed = new HashSet<>();
    ListQuery q = ListQuery.channel(channel).withPageSize(3);
    while (true) {
      Page p = repo.list(q);
      p.items()
          .forEach(
              s ->
                  assertThat(listed.add(s.key().conversationId()))
                      .as("listed twice: %s", s.key())
                      .isTrue());
      if (p.next() == null) {
        break;
      }
      q = q.withCursor(p.next());
    }
    Set<String> expected = new HashSet<>();
    model.keySet().forEach(k -> expected.add("k" + k));
    assertThat(listed).as("listing after %s", ops).isEqualTo(expected);
  }

  private static void check(
      ReferenceRepository repo, String channel, int k, @Nullable Held h, @Nullable Op after) {
    Optional<StoredReference> found = repo.find(ReferenceKey.of(channel, "k" + k));
    assertThat(found.map(StoredReference::version))
        .as("version of k%d after %s", k, after == null ? "the sequence" : after)
        .isEqualTo(Optional.ofNullable(h).map(Held::version));
    if (h != null) {
      assertThat(found.orElseThrow().reference().conversation().tenantId())
          .isEqualTo("tag-" + h.tag());
    }
  }

  private static void retire(@Nullable Held held, List<String> old) {
    if (held != null) {
      old.add(held.version());
    }
  }
}
