package dev.beckon.ratelimit.bucket4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.StoreException;
import dev.beckon.testkit.TokenBucketsContract;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The token-bucket contract over a map: the kit's definition of correct holds for the shared
 * Bucket4j plumbing itself, before any backend; and a take stays one read and one write.
 */
class InMemoryTokenBucketsContractTest extends TokenBucketsContract {

  private final Map<TokenBuckets, InMemoryStateStore> stores =
      new HashMap<>(); // the buckets are equal by identity only

  private static final int WRITES_ON_REFUSAL = 2;

  @Override
  protected TokenBuckets createBuckets() {
    return over(new InMemoryStateStore());
  }

  private synchronized TokenBuckets over(InMemoryStateStore store) {
    TokenBuckets b = Bucket4jTokenBuckets.over(store, "InMemoryTokenBuckets", "entry");
    stores.put(b, store);
    return b;
  }

  private synchronized InMemoryStateStore store(TokenBuckets b) {
    return stores.get(b);
  }

  @Override
  protected TokenBuckets sameStore(TokenBuckets buckets) {
    return over(store(buckets));
  }

  @Override
  protected Optional<byte[]> readState(TokenBuckets buckets, String name) {
    return store(buckets).raw(name);
  }

  @Override
  protected void writeState(TokenBuckets buckets, String name, byte[] state) {
    store(buckets).put(name, state);
  }

  @Override
  protected int randomStates() {
    return 2000;
  }

  @Test
  void aTakeOfAStoredBucketIsOneReadAndOneWrite() {
    InMemoryStateStore s = store(buckets);
    List<TokenBucket> two = List.of(new TokenBucket(2, 1, Duration.ofMinutes(10)));
    assertThat(buckets.tryTake("b", two)).isZero();
    assertThat(s.reads)
        .as("a new bucket: Bucket4j reads, asks for its configuration, reads")
        .hasValue(2);
    assertThat(s.writes).hasValue(1);
    assertThat(buckets.tryTake("b", two)).isZero();
    assertThat(s.reads).hasValue(3);
    assertThat(s.writes).hasValue(2);
    assertThat(buckets.tryTake("b", two)).isPositive();
    assertThat(s.reads).hasValue(4);
    assertThat(s.writes).as("a refusal writes nothing").hasValue(WRITES_ON_REFUSAL);
  }

  @Test
  void aFailureThatIsNotTheStoredStateKeepsTheBucket() {
    // a write that fails in a way that is neither the backend's nor the state's (a bug, Bucket4j
    // giving up after its retries): deleting the bucket would start it full and grant a capacity
    var failing =
        new InMemoryStateStore() {
          boolean fail;

          @Override
          public boolean compareAndSwap(
              String name, StoredState read, byte[] state, long ttlMillis) {
            if (fail) {
              throw new IllegalStateException("write failed");
            }
            return super.compareAndSwap(name, read, state, ttlMillis);
          }

          TokenBuckets failingFromNow() {
            fail = true;
            return over(this);
          }
        };
    List<TokenBucket> two = List.of(new TokenBucket(2, 1, Duration.ofMinutes(10)));
    TokenBuckets b = over(failing);
    assertThat(b.tryTake("k", two)).isZero();
    byte[] stored = failing.raw("k").orElseThrow();
    assertThatThrownBy(() -> failing.failingFromNow().tryTake("k", two))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("write failed")
        .hasMessageNotContaining("deleted");
    assertThat(failing.raw("k"))
        .as("the bucket is kept as it was")
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(stored));
  }

  @Test
  void theBucketsAreNamedByTheirOwner() {
    assertThat(buckets).hasToString("InMemoryTokenBuckets");
  }
}
