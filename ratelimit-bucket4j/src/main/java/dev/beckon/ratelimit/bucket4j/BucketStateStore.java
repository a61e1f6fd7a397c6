package dev.beckon.ratelimit.bucket4j;

import dev.beckon.store.StoreException;
import org.jspecify.annotations.Nullable;

/**
 * The three primitives a backend gives {@link Bucket4jTokenBuckets}: read a bucket's state, write
 * it only if it is still what was read, delete it. One round trip each; everything else (Bucket4j's
 * arithmetic, the checks of what was read, deleting an unreadable bucket, the exceptions the caller
 * hears) is done once, in {@link Bucket4jTokenBuckets}.
 *
 * <p>Bucket names are at most 80 characters of {@code [A-Za-z0-9:_-]}. Implementations are
 * thread-safe. A backend failure is thrown as it is (the store's own exception), or as a {@link
 * StoreException}; {@link #failure} then says which of the backend's exceptions are failures of the
 * backend rather than of the stored bucket.
 *
 * <pre>{@code
 * TokenBuckets buckets = Bucket4jTokenBuckets.over(new BucketStateStore() {
 *   public StoredState read(String name) { ... GET, at most MAX_STATE_BYTES ... }
 *   public boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis) {
 *     ... write only if the bucket still holds read.bytes() (or read.version()) ...
 *   }
 *   public void delete(String name) { ... }
 * }, this, "key");
 * }</pre>
 */
public interface BucketStateStore {

  /**
   * Reads a bucket. The backend measures the state first and sends it only when it is at most
   * {@link Bucket4jTokenBuckets#MAX_STATE_BYTES} long ({@link StoredState#tooLong} otherwise).
   *
   * @param name the bucket's name
   * @return {@link StoredState#absent()}, {@link StoredState#of the bytes}, or why the bucket
   *     cannot be read
   */
  StoredState read(String name);

  /**
   * Writes a bucket's new state if it still holds what {@link #read} returned: creates it if that
   * was {@link StoredState#absent() absent} and it is still missing, else replaces it if its bytes
   * or version are still the ones read. A refusal makes Bucket4j read again.
   *
   * @param name the bucket's name
   * @param read what {@link #read} returned for this bucket in this operation
   * @param state the new state
   * @param ttlMillis how long the bucket may be kept (it is full again then); zero or less for ever
   * @return {@code true} when written, {@code false} when the bucket had changed
   */
  boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis);

  /**
   * Deletes a bucket (nothing when it does not exist): an unreadable bucket is deleted so that the
   * next call starts it full.
   *
   * @param name the bucket's name
   */
  void delete(String name);

  /**
   * The exception the caller hears for an exception of the backend that the primitives let through,
   * or {@code null} when it is not the backend's (then the bucket is taken to be unreadable,
   * deleted, and a {@link StoreException} names it). The default knows no backend exception: a
   * store whose primitives throw only {@link StoreException} keeps it.
   *
   * @param operation {@code tryTake} or {@code giveBack}
   * @param e what a primitive, or Bucket4j, threw
   * @return the store's exception, or {@code null}
   */
  default @Nullable StoreException failure(String operation, RuntimeException e) {
    return null;
  }
}
