package dev.beckon.broadcast;

import java.util.List;

/**
 * The primitive under a fleet-wide {@link SendLimiter}: named token buckets kept in a shared
 * backend by a token-bucket library (Bucket4j over Redis or a database), each bucket holding one or
 * more {@link TokenBucket} limits at once. Core builds the limiter on it ({@link
 * SendLimiter#fleet}): which buckets a send takes from, in which order, and giving a token back
 * when a later bucket says no.
 *
 * <p>Bucket names are at most 80 characters of {@code [A-Za-z0-9:_-]}, chosen by core (a tenant id
 * or a conversation id is hashed, never used as is). Implementations are thread-safe; a backend
 * failure raises {@code dev.beckon.store.StoreException}.
 */
public interface TokenBuckets {

  /**
   * Takes one token from a bucket, creating it full when it does not exist.
   *
   * @param name the bucket's name
   * @param limits the bucket's limits (the same list for the same name, every call)
   * @return 0 when taken, else nanoseconds until a token is there (nothing taken)
   */
  long tryTake(String name, List<TokenBucket> limits);

  /**
   * Gives one token back to a bucket (never above its capacity): a send that took it was then
   * refused by another bucket.
   *
   * @param name the bucket's name
   * @param limits the bucket's limits
   */
  void giveBack(String name, List<TokenBucket> limits);
}
