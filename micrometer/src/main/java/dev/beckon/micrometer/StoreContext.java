package dev.beckon.micrometer;

import io.micrometer.observation.Observation;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StoreObservationConvention} sees of one repository call. Not thread-safe; written
 * by the observed repository only.
 */
public final class StoreContext extends Observation.Context {

  /** The repository's operations; the tag value is the name in lower case. */
  public enum Operation {
    /** {@link dev.beckon.store.ReferenceRepository#save}. */
    SAVE,
    /** {@link dev.beckon.store.ReferenceRepository#insertIfAbsent}. */
    INSERT_IF_ABSENT,
    /** {@link dev.beckon.store.ReferenceRepository#replace}. */
    REPLACE,
    /** {@link dev.beckon.store.ReferenceRepository#find}. */
    FIND,
    /** {@link dev.beckon.store.ReferenceRepository#delete(dev.beckon.reference.ReferenceKey)}. */
    DELETE,
    /** The version-checked {@code delete(key, expectedVersion)}. */
    DELETE_IF_VERSION,
    /**
     * {@link dev.beckon.store.ReferenceRepository#list}: one page (a stream lists page by page).
     */
    LIST,
    /** {@link dev.beckon.store.ReferenceRepository#saveAll}. */
    SAVE_ALL,
    /** {@link dev.beckon.store.PurgeableRepository#purgeExpired}. */
    PURGE_EXPIRED;

    /**
     * The tag value.
     *
     * @return the name in lower case, e.g. {@code insert_if_absent}
     */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a call ended; the tag value is the name in lower case. */
  public enum Outcome {
    /** Done: written, found, deleted, listed. */
    SUCCESS,
    /** Nothing there: {@code find} found nothing, {@code delete} had nothing to delete. */
    ABSENT,
    /** {@code insertIfAbsent} found a reference already stored, and wrote nothing. */
    EXISTS,
    /** A {@link dev.beckon.store.VersionConflictException}: nothing was written. */
    CONFLICT,
    /** A {@link dev.beckon.store.ReferenceTooLargeException}. */
    TOO_LARGE,
    /** An {@link dev.beckon.store.UnreadableReferenceException}. */
    UNREADABLE,
    /** A {@link dev.beckon.store.TableMissingException}. */
    TABLE_MISSING,
    /** An {@link IllegalArgumentException} (a cursor of another store, for instance). */
    INVALID,
    /** Any other failure, a {@link dev.beckon.store.StoreException} most often. */
    ERROR;

    /**
     * The tag value.
     *
     * @return the name in lower case, e.g. {@code too_large}
     */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Operation operation;
  private final String store;
  private @Nullable Outcome outcome;

  /**
   * Creates the context of a call about to start.
   *
   * @param operation which call
   * @param store the store's tag value
   */
  public StoreContext(Operation operation, String store) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Which call.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * The store's tag value.
   *
   * @return e.g. {@code jdbc}
   */
  public String store() {
    return store;
  }

  /**
   * How the call ended.
   *
   * @return the outcome, or {@code null} while running
   */
  public @Nullable Outcome outcome() {
    return outcome;
  }

  /**
   * Records how the call ended.
   *
   * @param value the outcome
   */
  public void outcome(Outcome value) {
    this.outcome = Objects.requireNonNull(value, "outcome");
  }
}
