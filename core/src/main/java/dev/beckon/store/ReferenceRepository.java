package dev.beckon.store;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Where conversation references live between the message that captured them and the proactive
 * message that uses them. One implementation per storage module (JDBC, Redis, Azure Table,
 * DynamoDB) plus {@link dev.beckon.store.memory.InMemoryReferenceRepository}; all pass the same
 * contract kit in {@code beckon-testkit}.
 *
 * <p><b>Semantics</b> (every implementation, verified by the contract kit):
 *
 * <ul>
 *   <li>The key is {@code (channelId, conversation.id)} — {@link ConversationReference#key()} — and
 *       any Unicode id is stored and returned exactly.
 *   <li>Every write returns the new {@link StoredReference#version() version}; versions of
 *       successive writes of a key differ.
 *   <li>Writes are atomic: a failed write changed nothing.
 *   <li>With a TTL ({@link StoreOptions}), an expired reference is absent for every operation,
 *       whether or not the backend has removed it.
 *   <li>Listing pages are stable under concurrent writes: every reference that exists for the whole
 *       listing and matches the query is returned exactly once.
 * </ul>
 *
 * <p><b>Unreadable rows.</b> A row whose payload cannot be read back (JSON the codec now refuses,
 * garbage or a truncated payload written straight into the backend, a payload of another key) never
 * poisons the store: {@link #find} raises {@link UnreadableReferenceException} for its key only;
 * {@link #list} returns it in {@link Page#unreadable()} (key and reason) and goes on; {@link
 * #stream(ListQuery, Consumer)} hands it to a callback and goes on. Broadcasts count it as {@code
 * FAILED} ("stored reference unreadable: …"); the CLI's {@code refs list}, {@code export} and
 * {@code migrate} report it on stderr and in their summary. Writes to its key ({@link #save},
 * {@link #delete(ReferenceKey)}) work as for any row and repair it.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StoreException} when the backend fails,
 * {@link VersionConflictException} for a failed conditional write, {@link
 * ReferenceTooLargeException} for an oversized reference, and {@link IllegalArgumentException} for
 * invalid arguments (such as a cursor that no listing of this store produced).
 */
public interface ReferenceRepository {

  /**
   * Inserts or replaces the reference of its key: last write wins.
   *
   * @param reference the reference
   * @return what is stored now, with its new version
   */
  StoredReference save(ConversationReference reference);

  /**
   * Inserts the reference only if its key has none (or only an expired one).
   *
   * @param reference the reference
   * @return what was stored, or empty when a reference already existed (nothing was written)
   */
  Optional<StoredReference> insertIfAbsent(ConversationReference reference);

  /**
   * Replaces the reference only if the stored version is {@code expectedVersion} (optimistic
   * concurrency).
   *
   * @param reference the new reference
   * @param expectedVersion the version read before
   * @return what is stored now, with its new version
   * @throws VersionConflictException when the stored version differs or nothing is stored; nothing
   *     was written
   */
  StoredReference replace(ConversationReference reference, String expectedVersion);

  /**
   * Finds the reference of a key.
   *
   * @param key the key
   * @return the stored reference, or empty when there is none (or it expired)
   * @throws UnreadableReferenceException when a row exists for the key but cannot be read
   */
  Optional<StoredReference> find(ReferenceKey key);

  /**
   * Deletes the reference of a key. Idempotent.
   *
   * @param key the key
   * @return {@code true} when a reference was deleted, {@code false} when there was none
   */
  boolean delete(ReferenceKey key);

  /**
   * Deletes the reference of a key only if its version is {@code expectedVersion}.
   *
   * @param key the key
   * @param expectedVersion the version read before
   * @return {@code true} when deleted, {@code false} when there was nothing to delete
   * @throws VersionConflictException when a reference with another version is stored; nothing was
   *     deleted
   */
  boolean delete(ReferenceKey key, String expectedVersion);

  /**
   * Lists one page of the references matching a query.
   *
   * @param query filters, segment, page size and cursor
   * @return the page; continue with {@code query.withCursor(page.next())} until it has none
   * @throws IllegalArgumentException when the cursor was not produced by this store
   */
  Page list(ListQuery query);

  /**
   * Saves several references, each as {@link #save} would. Stores with a batch write override this;
   * the default saves one by one. Not atomic as a whole: on failure, a prefix may be saved, and the
   * exception says so.
   *
   * @param references the references
   * @return the stored references, in order
   */
  default List<StoredReference> saveAll(Collection<ConversationReference> references) {
    List<StoredReference> out = new ArrayList<>(references.size());
    for (ConversationReference r : references) {
      out.add(save(r));
    }
    return out;
  }

  /**
   * A lazy stream over every page of a query, fetching one page at a time: memory stays constant
   * however many references match. Close it or consume it; it holds no resources between pages.
   * Rows that cannot be read are skipped, each with a warning in the log (logger {@code
   * dev.beckon.store.ReferenceRepository}); use {@link #stream(ListQuery, Consumer)} to count or
   * report them.
   *
   * @param query the query; its cursor, if any, is where the stream starts
   * @return the references
   */
  default Stream<StoredReference> stream(ListQuery query) {
    return stream(
        query,
        u ->
            org.slf4j.LoggerFactory.getLogger(ReferenceRepository.class)
                .warn(
                    "Skipping an unreadable stored reference ({}): {}", u.describe(), u.reason()));
  }

  /**
   * A lazy stream over every page of a query, as {@link #stream(ListQuery)}, that hands each row
   * that cannot be read to {@code onUnreadable} (on the consuming thread, when the stream reaches
   * its page) and goes on.
   *
   * @param query the query; its cursor, if any, is where the stream starts
   * @param onUnreadable called once per unreadable row
   * @return the references
   */
  default Stream<StoredReference> stream(
      ListQuery query, Consumer<UnreadableReference> onUnreadable) {
    java.util.Objects.requireNonNull(onUnreadable, "onUnreadable");
    Iterator<StoredReference> it =
        new Iterator<>() {
          private Iterator<StoredReference> page = List.<StoredReference>of().iterator();
          private ListQuery next = query;
          private boolean done;

          @Override
          public boolean hasNext() {
            while (!page.hasNext() && !done) {
              Page p = list(next);
              p.unreadable().forEach(onUnreadable);
              page = p.items().iterator();
              if (p.next() == null) {
                done = true;
              } else {
                next = next.withCursor(p.next());
              }
            }
            return page.hasNext();
          }

          @Override
          public StoredReference next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }
}
