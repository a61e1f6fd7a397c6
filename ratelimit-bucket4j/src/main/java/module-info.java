/**
 * Beckon's fleet-wide token buckets over Bucket4j core's compare-and-swap SPI, for any store: a
 * store implements {@code BucketStateStore} (its backend's read, compare-and-swap and delete) and
 * gets a {@code dev.beckon.broadcast.TokenBuckets} whose stored states are bounded and checked
 * before Bucket4j reads them.
 *
 * <p>No Bucket4j type is in this module's API, so Bucket4j is required, not transitively.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.ratelimit.bucket4j {
  requires transitive dev.beckon.core;
  requires io.github.bucket4j.core;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.ratelimit.bucket4j;
}
