package dev.beckon.micrometer;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.ReferenceTooLargeException;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A repository whose every call is one {@code beckon.store} Observation. {@code stream} is the
 * interface's own, over the observed {@code list}: one observation per page. {@link Purgeable}
 * decorates a purgeable repository.
 */
class ObservedRepository implements ReferenceRepository {

  /** The decorator of a purgeable repository: {@code purgeExpired} observed too. */
  static final class Purgeable extends ObservedRepository implements PurgeableRepository {
    private final PurgeableRepository purgeable;

    Purgeable(
        PurgeableRepository delegate,
        String store,
        ObservationRegistry registry,
        @Nullable StoreObservationConvention custom,
        StoreObservationConvention defaults) {
      super(delegate, store, registry, custom, defaults);
      this.purgeable = delegate;
    }

    @Override
    public long purgeExpired() {
      return observe(StoreContext.Operation.PURGE_EXPIRED, purgeable::purgeExpired, n -> null);
    }
  }

  private final ReferenceRepository delegate;
  private final String store;
  private final ObservationRegistry registry;
  private final @Nullable StoreObservationConvention custom;
  private final StoreObservationConvention defaults;

  ObservedRepository(
      ReferenceRepository delegate,
      String store,
      ObservationRegistry registry,
      @Nullable StoreObservationConvention custom,
      StoreObservationConvention defaults) {
    this.delegate = Objects.requireNonNull(delegate, "repository");
    this.store = store;
    this.registry = registry;
    this.custom = custom;
    this.defaults = defaults;
  }

  @Override
  public StoredReference save(ConversationReference reference) {
    return observe(StoreContext.Operation.SAVE, () -> delegate.save(reference), r -> null);
  }

  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    return observe(
        StoreContext.Operation.INSERT_IF_ABSENT,
        () -> delegate.insertIfAbsent(reference),
        r -> r.isPresent() ? null : StoreContext.Outcome.EXISTS);
  }

  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    return observe(
        StoreContext.Operation.REPLACE,
        () -> delegate.replace(reference, expectedVersion),
        r -> null);
  }

  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    return observe(
        StoreContext.Operation.FIND,
        () -> delegate.find(key),
        r -> r.isPresent() ? null : StoreContext.Outcome.ABSENT);
  }

  @Override
  public boolean delete(ReferenceKey key) {
    return observe(
        StoreContext.Operation.DELETE,
        () -> delegate.delete(key),
        deleted -> deleted ? null : StoreContext.Outcome.ABSENT);
  }

  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    return observe(
        StoreContext.Operation.DELETE_IF_VERSION,
        () -> delegate.delete(key, expectedVersion),
        deleted -> deleted ? null : StoreContext.Outcome.ABSENT);
  }

  @Override
  public Page list(ListQuery query) {
    return observe(StoreContext.Operation.LIST, () -> delegate.list(query), p -> null);
  }

  @Override
  public List<StoredReference> saveAll(Collection<ConversationReference> references) {
    return observe(StoreContext.Operation.SAVE_ALL, () -> delegate.saveAll(references), r -> null);
  }

  /**
   * Runs a call inside an observation.
   *
   * @param outcome the outcome of a result, {@code null} meaning {@code SUCCESS}
   */
  final <T> T observe(
      StoreContext.Operation operation,
      Supplier<T> call,
      Function<T, StoreContext.@Nullable Outcome> outcome) {
    StoreContext context = new StoreContext(operation, store);
    Observation observation =
        Observation.createNotStarted(custom, defaults, () -> context, registry).start();
    try {
      T result = observation.scoped(call);
      StoreContext.Outcome o = outcome.apply(result);
      context.outcome(o == null ? StoreContext.Outcome.SUCCESS : o);
      return result;
    } catch (RuntimeException e) {
      context.outcome(outcomeOf(e));
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  private static StoreContext.Outcome outcomeOf(RuntimeException e) {
    if (e instanceof VersionConflictException) {
      return StoreContext.Outcome.CONFLICT;
    }
    if (e instanceof ReferenceTooLargeException) {
      return StoreContext.Outcome.TOO_LARGE;
    }
    if (e instanceof UnreadableReferenceException) {
      return StoreContext.Outcome.UNREADABLE;
    }
    if (e instanceof TableMissingException) {
      return StoreContext.Outcome.TABLE_MISSING;
    }
    if (e instanceof IllegalArgumentException) {
      return StoreContext.Outcome.INVALID;
    }
    return StoreContext.Outcome.ERROR;
  }

  @Override
  public String toString() {
    return "ObservedRepository[" + delegate + "]";
  }
}
