package dev.beckon.store.spi;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The base of a decorator of a {@link ReferenceRepository}: every operation, {@link #saveAll} (a
 * store's batch write) included, goes to the {@link #delegate()} unchanged, so a decorator
 * overrides only the calls it watches or changes and keeps compiling when the interface grows.
 *
 * <p>{@link #stream(dev.beckon.store.ListQuery) stream} is not forwarded: it stays the interface's
 * own, a lazy walk over this decorator's {@link #list}, so a decorator of {@code list} sees every
 * page a stream reads (the store's own paging is used either way).
 *
 * <pre>{@code
 * final class CountingPages extends ForwardingReferenceRepository {
 *   final AtomicLong pages = new AtomicLong();
 *
 *   CountingPages(ReferenceRepository repository) {
 *     super(repository);
 *   }
 *
 *   public Page list(ListQuery query) {
 *     pages.incrementAndGet();
 *     return super.list(query);
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe as far as the delegate and the subclass are; it adds no state of its own. A
 * decorator is not a store: a new store extends {@link AbstractReferenceRepository} instead.
 */
public abstract class ForwardingReferenceRepository implements ReferenceRepository {

  private final ReferenceRepository delegate;

  /**
   * A decorator of a repository.
   *
   * @param delegate the repository every call goes to
   * @throws NullPointerException when {@code delegate} is {@code null}
   */
  protected ForwardingReferenceRepository(ReferenceRepository delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The repository every call goes to.
   *
   * @return the delegate
   */
  protected final ReferenceRepository delegate() {
    return delegate;
  }

  /** {@inheritDoc} */
  @Override
  public StoredReference save(ConversationReference reference) {
    return delegate.save(reference);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    return delegate.insertIfAbsent(reference);
  }

  /** {@inheritDoc} */
  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    return delegate.replace(reference, expectedVersion);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    return delegate.find(key);
  }

  /** {@inheritDoc} */
  @Override
  public boolean delete(ReferenceKey key) {
    return delegate.delete(key);
  }

  /** {@inheritDoc} */
  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    return delegate.delete(key, expectedVersion);
  }

  /** {@inheritDoc} */
  @Override
  public Page list(ListQuery query) {
    return delegate.list(query);
  }

  /** {@inheritDoc} */
  @Override
  public List<StoredReference> saveAll(Collection<ConversationReference> references) {
    return delegate.saveAll(references);
  }

  /**
   * The delegate's description, so that logs name the store underneath.
   *
   * @return the delegate's {@code toString()}
   */
  @Override
  public String toString() {
    return delegate.toString();
  }
}
