package dev.beckon.ratelimit.bucket4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BucketStateStore} found when it read a bucket: nothing, the state's bytes (with the
 * store's own version of them, if it keeps one), or a reason the bucket cannot be read (too long to
 * fetch, a value of another type). The bytes are not copied: a store hands over what it read.
 *
 * <p>{@link Bucket4jTokenBuckets} checks the bytes before Bucket4j reads them; a store only bounds
 * what it fetches ({@link #tooLong}) and reports what its backend alone can see ({@link
 * #unreadable}). Immutable.
 */
public final class StoredState {

  private static final StoredState ABSENT = new StoredState(null, 0, null);

  private final byte @Nullable [] bytes;
  private final long version;
  private final @Nullable String problem;

  private StoredState(byte @Nullable [] bytes, long version, @Nullable String problem) {
    this.bytes = bytes;
    this.version = version;
    this.problem = problem;
  }

  /**
   * The bucket does not exist: Bucket4j starts it full, and the write creates it.
   *
   * @return the state of a missing bucket
   */
  public static StoredState absent() {
    return ABSENT;
  }

  /**
   * The bucket's stored bytes, still to be checked.
   *
   * @param bytes the bytes read, at most {@link Bucket4jTokenBuckets#MAX_STATE_BYTES} of them (not
   *     copied)
   * @param version the store's version of the bucket, as its compare-and-swap needs it (0 when the
   *     store keeps none)
   * @return the state read
   */
  public static StoredState of(byte[] bytes, long version) {
    return new StoredState(Objects.requireNonNull(bytes, "bytes"), version, null);
  }

  /**
   * The backend measured the stored state and did not send it: it is longer than {@link
   * Bucket4jTokenBuckets#MAX_STATE_BYTES}.
   *
   * @param length the stored length in bytes
   * @return an unreadable state
   */
  public static StoredState tooLong(long length) {
    return unreadable(
        "it holds "
            + length
            + " bytes (at most "
            + Bucket4jTokenBuckets.MAX_STATE_BYTES
            + " are read)");
  }

  /**
   * The bucket exists but cannot be read for a reason only the store can see (another type of
   * value, a version that is not a number).
   *
   * @param reason what is wrong, in words (named in the caller's {@code StoreException}; never a
   *     stored value)
   * @return an unreadable state
   */
  public static StoredState unreadable(String reason) {
    return new StoredState(null, 0, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether the bucket exists (an unreadable one exists too).
   *
   * @return {@code false} for {@link #absent()}
   */
  public boolean exists() {
    return this != ABSENT;
  }

  /**
   * The bytes read: what a store compares against when its compare-and-swap is by value.
   *
   * @return the bytes (not copied)
   * @throws IllegalStateException when the bucket is absent or unreadable
   */
  public byte[] bytes() {
    byte[] b = bytes;
    if (b == null) {
      throw new IllegalStateException("no bytes were read");
    }
    return b;
  }

  /**
   * The store's version of the bucket, as given to {@link #of}.
   *
   * @return the version; 0 when absent or unreadable
   */
  public long version() {
    return version;
  }

  /** {@return why the bucket cannot be read, or {@code null}} */
  @Nullable String problem() {
    return problem;
  }

  @Override
  public String toString() {
    if (!exists()) {
      return "StoredState[absent]";
    }
    return problem != null
        ? "StoredState[unreadable: " + problem + "]"
        : "StoredState[" + bytes().length + " bytes, version " + version + "]";
  }
}
