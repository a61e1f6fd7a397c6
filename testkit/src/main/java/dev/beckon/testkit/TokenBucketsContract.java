package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole definition of a correct fleet-wide {@link TokenBuckets} store. A store's test extends
 * this class and supplies four hooks; it inherits every test:
 *
 * <pre>{@code
 * class RedisTokenBucketsContractTest extends TokenBucketsContract {
 *   protected TokenBuckets createBuckets() { return RedisTokenBuckets.over(redis); }
 *   protected TokenBuckets sameStore(TokenBuckets buckets) { return RedisTokenBuckets.over(redis); }
 *   protected Optional<byte[]> readState(TokenBuckets b, String name) { ... GET name ... }
 *   protected void writeState(TokenBuckets b, String name, byte[] state) { ... SET name state ... }
 *   @AfterEach void clean() { ... delete the keys that start with prefix() ... }
 * }
 * }</pre>
 *
 * <p>{@link #createBuckets()} must return buckets over an <b>empty</b> store (a fresh table, or a
 * store whose bucket names start with {@link #prefix()}, which is new for every test). Tests run
 * against a real backend; one that cannot be reached fails, it is never skipped.
 *
 * <p>What is checked, in {@code @Nested} groups: a full bucket grants its capacity, then refuses
 * saying how long until a token is there, and a refusal takes nothing; buckets are independent by
 * name; two instances over one store (two processes) share one limit; racing instances (6 threads)
 * never take more than the capacity; a bucket refills at its rate, and after the wait it named a
 * take succeeds; {@code giveBack} returns one token and never fills above the capacity; with
 * several limits the tightest one decides; the {@link SendLimiter#fleet fleet limiter} over the
 * store paces a conversation. And the state read back from the store is hostile input (SECURITY.md
 * T46): a state the store wrote is at most 4 KiB; garbage, nothing, a count of two billion limits,
 * another configuration (a capacity changed, another list of limits), more tokens than the
 * capacity, a refill in the future and more than 4 KiB each fail the call with a {@link
 * StoreException} whose message names the bucket ({@code '<name>' is unreadable}) and the reason,
 * and are deleted so that the next call starts the bucket full; a good state put back reads as what
 * it is; every 4-byte window of a good state set to {@code Integer.MAX_VALUE}, and {@link
 * #randomStates()} random or mutated states (seeded), never let more than a capacity through nor
 * answer a wait longer than a full refill plus {@link #CLOCK_SKEW}, and fail only with {@link
 * StoreException}.
 *
 * <p>The states are Bucket4j 8's, as every Beckon store writes them (through {@code
 * beckon-ratelimit-bucket4j}): for one limit, the limit's last refill time, tokens and rounding
 * remainder are the 36th to 13th bytes from the end.
 */
public abstract class TokenBucketsContract {

  /** For subclasses: one per store under test. */
  protected TokenBucketsContract() {}

  /** How far a stored refill may be ahead of this process's clock (the fleet's clock skew). */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  /** 2 tokens, 1 more every 10 minutes: a refill never happens during a test. */
  static final List<TokenBucket> SLOW = List.of(new TokenBucket(2, 1, Duration.ofMinutes(10)));

  /** 3 tokens, 1 more per second. */
  static final List<TokenBucket> THREE = List.of(new TokenBucket(3, 1, Duration.ofSeconds(1)));

  /** The longest wait a state of {@link #THREE} may answer: a full refill plus the skew. */
  static final long MAX_WAIT = Duration.ofSeconds(4).plus(CLOCK_SKEW).toNanos();

  /** A conversation's 20 per 10 minutes, headroom 0.1: a burst of 2, then a wait. */
  static final RateProfile PROFILE =
      new RateProfile(null, null, List.of(RateLimit.of(20, Duration.ofMinutes(10))), 4);

  private final String prefix = "tbk" + UUID.randomUUID().toString().substring(0, 8);

  /** The buckets under test, created before each test. */
  protected TokenBuckets buckets;

  /**
   * Creates buckets over an empty store.
   *
   * @return the buckets
   */
  protected abstract TokenBuckets createBuckets();

  /**
   * Another instance over the same store as {@code buckets}, as another process of the fleet would
   * have (its own caches, the same table or keys).
   *
   * @param buckets buckets {@link #createBuckets()} returned
   * @return another instance over the same store
   */
  protected abstract TokenBuckets sameStore(TokenBuckets buckets);

  /**
   * The state stored for a bucket, as the store holds it, bypassing the buckets' checks.
   *
   * @param buckets buckets {@link #createBuckets()} returned
   * @param name the bucket's name
   * @return the stored bytes, or empty when the bucket is not stored
   */
  protected abstract Optional<byte[]> readState(TokenBuckets buckets, String name);

  /**
   * Stores a bucket's state exactly as given, replacing any: how a hostile or corrupted state gets
   * into the store (a valid version or whatever else the store keeps beside it).
   *
   * @param buckets buckets {@link #createBuckets()} returned
   * @param name the bucket's name
   * @param state the raw bytes
   */
  protected abstract void writeState(TokenBuckets buckets, String name, byte[] state);

  /**
   * The length of the oversized state written (over 4 KiB). Defaults to a megabyte; a store whose
   * column holds less says so.
   *
   * @return the length in bytes, more than 4096
   */
  protected int oversizedState() {
    return 1 << 20;
  }

  /**
   * How many random or mutated states the property writes, four takes each. Defaults to 100.
   *
   * @return the number of states
   */
  protected int randomStates() {
    return 100;
  }

  /**
   * The prefix of every bucket name the tests use, new for every test: a store shared between tests
   * deletes what starts with it.
   *
   * @return the prefix, {@code tbk} and 8 characters of {@code [0-9a-f-]}
   */
  protected final String prefix() {
    return prefix;
  }

  /** Creates {@link #buckets}. */
  @BeforeEach
  void createDefaultBuckets() {
    buckets = createBuckets();
  }

  String name(String suffix) {
    return prefix + ":" + suffix;
  }

  /** Takes until refused; returns how many were granted (at most {@code max + 1} tries). */
  int takeAll(TokenBuckets b, String name, List<TokenBucket> limits, int max) {
    int granted = 0;
    for (int i = 0; i <= max; i++) {
      if (b.tryTake(name, limits) == 0) {
        granted++;
      } else {
        break;
      }
    }
    return granted;
  }

  /** A good stored state of {@code limits}, after one take. */
  byte[] goodState(String name, List<TokenBucket> limits) {
    assertThat(buckets.tryTake(name, limits)).isZero();
    return readState(buckets, name)
        .orElseThrow(() -> new AssertionError("no state stored for " + name + " after a take"));
  }

  /** Writes a state; the next take fails naming the bucket and why; it is deleted; then full. */
  void assertUnreadable(String name, List<TokenBucket> limits, byte[] state, String says) {
    writeState(buckets, name, state);
    assertThatThrownBy(() -> buckets.tryTake(name, limits))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("'" + name + "' is unreadable")
        .hasMessageContaining(says);
    assertThat(readState(buckets, name)).as("the unreadable state is deleted").isEmpty();
    int capacity = (int) limits.get(0).capacity();
    assertThat(takeAll(buckets, name, limits, capacity))
        .as("and the bucket starts afresh, full, and its capacity holds")
        .isEqualTo(capacity);
  }

  /** Taking: the capacity, then a refusal that says how long and takes nothing. */
  @Nested
  @DisplayName("taking")
  class Taking {
    @Test
    @DisplayName("a new bucket grants its capacity, then refuses saying how long")
    void capacityThenWait() {
      String b = name("b");
      for (int i = 0; i < 3; i++) {
        assertThat(buckets.tryTake(b, THREE)).as("take %d", i).isZero();
      }
      assertThat(buckets.tryTake(b, THREE))
          .as("nanoseconds until the next token: at most its refill")
          .isBetween(1L, Duration.ofSeconds(1).toNanos());
    }

    @Test
    @DisplayName("a refusal takes nothing")
    void refusalTakesNothing() {
      String b = name("b");
      assertThat(takeAll(buckets, b, SLOW, 2)).isEqualTo(2);
      long first = buckets.tryTake(b, SLOW);
      long second = buckets.tryTake(b, SLOW);
      assertThat(first).isPositive();
      assertThat(second).isPositive().isLessThanOrEqualTo(first);
      buckets.giveBack(b, SLOW);
      assertThat(takeAll(buckets, b, SLOW, 2)).as("one token, not fewer").isEqualTo(1);
    }

    @Test
    @DisplayName("buckets are independent by name")
    void independent() {
      assertThat(takeAll(buckets, name("a"), SLOW, 2)).isEqualTo(2);
      assertThat(takeAll(buckets, name("b"), SLOW, 2)).isEqualTo(2);
      assertThat(buckets.tryTake(name("a"), SLOW)).isPositive();
    }

    @Test
    @DisplayName("two instances over one store share one limit")
    void twoProcessesShare() {
      TokenBuckets two = sameStore(buckets);
      String b = name("b");
      assertThat(buckets.tryTake(b, THREE)).isZero();
      assertThat(two.tryTake(b, THREE)).isZero();
      assertThat(buckets.tryTake(b, THREE)).isZero();
      assertThat(two.tryTake(b, THREE)).isPositive();
      two.giveBack(b, THREE);
      assertThat(buckets.tryTake(b, THREE)).as("the token given back").isZero();
    }

    @Test
    @Timeout(120)
    @DisplayName("6 racing instances, 5 takes each, never take more than the capacity")
    void racing() throws Exception {
      String b = name("hot");
      AtomicInteger granted = new AtomicInteger();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      CyclicBarrier start = new CyclicBarrier(6);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        TokenBuckets own = sameStore(buckets); // every thread its own instance, as processes have
        Thread th =
            new Thread(
                () -> {
                  try {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 5; i++) {
                      if (own.tryTake(b, SLOW) == 0) {
                        granted.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) { // reported below
                    failed.compareAndSet(null, e);
                  }
                });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      assertThat(failed.get()).as("no thread failed").isNull();
      assertThat(granted).hasValue(2);
    }

    @Test
    @DisplayName("the fleet limiter over the store paces a conversation")
    void fleetLimiter() {
      SendLimiter l = SendLimiter.fleet(buckets, prefix, PROFILE, 0.1);
      ReferenceKey c = ReferenceKey.of("msteams", "c");
      assertThat(l.tryAcquire(c, null)).isZero();
      assertThat(l.tryAcquire(c, null)).isZero();
      assertThat(l.tryAcquire(c, null)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
      assertThat(l.tryAcquire(ReferenceKey.of("msteams", "other"), null)).isZero();
      assertThat(readState(buckets, prefix + ":c:" + c.hash()))
          .as("the conversation's bucket, named by the limiter")
          .isPresent();
    }
  }

  /** Refill: at the bucket's rate, and the wait named is enough. */
  @Nested
  @DisplayName("refill")
  class Refill {
    @Test
    @Timeout(60)
    @DisplayName("after the wait a refusal named, a take succeeds")
    void afterTheWait() throws InterruptedException {
      List<TokenBucket> fast = List.of(new TokenBucket(1, 1, Duration.ofMillis(300)));
      String b = name("b");
      assertThat(buckets.tryTake(b, fast)).isZero();
      long wait = buckets.tryTake(b, fast);
      assertThat(wait).isBetween(1L, Duration.ofMillis(300).toNanos());
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 50);
      assertThat(buckets.tryTake(b, fast)).as("refilled").isZero();
      assertThat(buckets.tryTake(b, fast)).as("one token per refill").isPositive();
    }

    @Test
    @Timeout(60)
    @DisplayName("a refill never fills above the capacity")
    void neverAboveCapacity() throws InterruptedException {
      List<TokenBucket> fast = List.of(new TokenBucket(2, 1, Duration.ofMillis(100)));
      String b = name("b");
      assertThat(buckets.tryTake(b, fast)).isZero();
      Thread.sleep(500); // five refills' worth
      assertThat(takeAll(buckets, b, fast, 5)).isEqualTo(2);
    }
  }

  /** Giving back: one token, never above the capacity. */
  @Nested
  @DisplayName("giveBack")
  class GiveBack {
    @Test
    @DisplayName("gives one token back")
    void oneToken() {
      String b = name("b");
      assertThat(takeAll(buckets, b, SLOW, 2)).isEqualTo(2);
      buckets.giveBack(b, SLOW);
      assertThat(takeAll(buckets, b, SLOW, 2)).isEqualTo(1);
    }

    @Test
    @DisplayName("never above the capacity, also on a bucket not stored yet")
    void neverAboveCapacity() {
      String b = name("b");
      buckets.giveBack(b, SLOW);
      buckets.giveBack(b, SLOW);
      assertThat(readState(buckets, b)).as("a bucket given back to is stored").isPresent();
      assertThat(takeAll(buckets, b, SLOW, 4)).isEqualTo(2);
    }
  }

  /** Several limits in one bucket: the tightest decides. */
  @Nested
  @DisplayName("several limits")
  class SeveralLimits {
    @Test
    @DisplayName("the tightest limit decides, whatever its place in the list")
    void tightest() {
      TokenBucket loose = new TokenBucket(5, 5, Duration.ofMinutes(10));
      TokenBucket tight = new TokenBucket(2, 1, Duration.ofMinutes(10));
      assertThat(takeAll(buckets, name("a"), List.of(loose, tight), 5)).isEqualTo(2);
      assertThat(takeAll(buckets, name("b"), List.of(tight, loose), 5)).isEqualTo(2);
    }

    @Test
    @DisplayName("a refusal waits for the limit that refused")
    void waitOfTheLimitThatRefused() {
      TokenBucket perSecond = new TokenBucket(1, 1, Duration.ofSeconds(1));
      TokenBucket perHour = new TokenBucket(3, 1, Duration.ofHours(1));
      String b = name("b");
      assertThat(buckets.tryTake(b, List.of(perSecond, perHour))).isZero();
      assertThat(buckets.tryTake(b, List.of(perSecond, perHour)))
          .as("the per-second limit refuses, for at most a second")
          .isBetween(1L, Duration.ofSeconds(1).toNanos());
    }

    @Test
    @DisplayName("a state stored for other limits is refused and deleted")
    void otherLimits() {
      String b = name("b");
      byte[] other = goodState(name("other"), List.of(tightAndLoose()));
      assertUnreadable(b, SLOW, other, "are not a Bucket4j state");
      assertUnreadable(b, SLOW, goodState(name("two"), THREE), "are not a Bucket4j state");
    }

    private TokenBucket tightAndLoose() {
      return new TokenBucket(30, 1, Duration.ofSeconds(1));
    }
  }

  /** The state read back from the store is hostile input (SECURITY.md T46). */
  @Nested
  @DisplayName("stored state")
  class StoredState {
    @Test
    @DisplayName("a state the store wrote is at most 4 KiB and reads back as what it is")
    void bounded() {
      String b = name("b");
      byte[] good = goodState(b, SLOW);
      assertThat(good.length).isBetween(1, 4096);
      assertThat(takeAll(buckets, b, SLOW, 2)).isEqualTo(1);
      writeState(buckets, b, good);
      assertThat(takeAll(buckets, b, SLOW, 2)).as("the good state put back").isEqualTo(1);
    }

    @Test
    @DisplayName("garbage and nothing are refused (they once read as a full bucket)")
    void garbage() {
      String b = name("b");
      goodState(b, SLOW);
      assertUnreadable(b, SLOW, new byte[] {0, (byte) 0xff}, "are not a Bucket4j state");
      assertUnreadable(b, SLOW, new byte[0], "are not a Bucket4j state");
    }

    @Test
    @DisplayName("a count of two billion limits in 12 bytes is refused, never allocated")
    void hugeCount() {
      byte[] huge = ByteBuffer.allocate(12).putInt(1).putInt(1).putInt(Integer.MAX_VALUE).array();
      assertUnreadable(name("b"), SLOW, huge, "are not a Bucket4j state");
    }

    @Test
    @DisplayName("the same shape with another capacity (a billion sends) is refused")
    void foreignCapacity() {
      String b = name("b");
      byte[] foreign = goodState(b, SLOW).clone();
      foreign[20] ^= 0x40; // inside the first limit's capacity
      assertUnreadable(b, SLOW, foreign, "are not a Bucket4j state");
    }

    @Test
    @DisplayName("more tokens than the capacity are refused")
    void rich() {
      String b = name("b");
      byte[] rich = goodState(b, SLOW).clone();
      ByteBuffer.wrap(rich).putLong(rich.length - 12 - 16, 1_000_000_000L);
      assertUnreadable(b, SLOW, rich, "tokens (capacity");
    }

    @Test
    @DisplayName("a last refill a day from now is refused")
    void future() {
      String b = name("b");
      byte[] ahead = goodState(b, SLOW).clone();
      ByteBuffer.wrap(ahead)
          .putLong(
              ahead.length - 12 - 24,
              System.currentTimeMillis() * 1_000_000L + Duration.ofDays(1).toNanos());
      assertUnreadable(b, SLOW, ahead, "last refilled in the future");
    }

    @Test
    @DisplayName("more than 4 KiB is refused, measured by the store")
    void oversized() {
      String b = name("b");
      goodState(b, SLOW);
      int big = oversizedState();
      assertUnreadable(b, SLOW, new byte[big], "holds " + big + " bytes (at most 4096 are read)");
    }

    @Test
    @Timeout(600)
    @DisplayName("every 4-byte window set to Integer.MAX_VALUE: refused, or a bounded state")
    void everyWindow() {
      String good = name("good");
      byte[] state = goodState(good, THREE);
      int refused = 0;
      for (int at = 0; at + 4 <= state.length; at++) {
        byte[] s = state.clone();
        ByteBuffer.wrap(s).putInt(at, Integer.MAX_VALUE);
        if (!Arrays.equals(s, state) && !takesBounded(name("h"), s, "window at " + at)) {
          refused++;
        }
      }
      assertThat(refused).as("the structure's windows are all refused").isGreaterThanOrEqualTo(10);
    }

    @Test
    @Timeout(600)
    @DisplayName("random and mutated states never let more than a capacity through")
    void randomStates() {
      byte[] good = goodState(name("good"), THREE);
      long seed = new Random().nextLong();
      Random random = new Random(seed);
      int[] hostileInts = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1, 1 << 20, 1 << 28};
      for (int n = 0; n < TokenBucketsContract.this.randomStates(); n++) {
        byte[] s;
        switch (random.nextInt(5)) {
          case 0 -> {
            s = new byte[random.nextInt(301)];
            random.nextBytes(s);
          }
          case 1 -> {
            s = good.clone();
            int b = random.nextInt(255) + 1;
            s[random.nextInt(s.length)] ^= (byte) b;
          }
          case 2 -> {
            s = good.clone();
            int v =
                random.nextBoolean()
                    ? hostileInts[random.nextInt(hostileInts.length)]
                    : random.nextInt();
            ByteBuffer.wrap(s).putInt(random.nextInt(s.length - 3), v);
          }
          case 3 -> s = Arrays.copyOf(good, random.nextInt(good.length + 1));
          default -> {
            byte[] tail = new byte[random.nextInt(65)];
            random.nextBytes(tail);
            s = Arrays.copyOf(good, good.length + tail.length);
            System.arraycopy(tail, 0, s, good.length, tail.length);
          }
        }
        takesBounded(name("h"), s, "state " + n + " of seed " + seed);
      }
    }

    /**
     * Writes a state and takes 4 times: at most the capacity granted, every wait bounded, only
     * {@link StoreException} (the state deleted, the next take full) thrown.
     *
     * @return whether the state was accepted
     */
    private boolean takesBounded(String name, byte[] state, String what) {
      writeState(buckets, name, state);
      int granted = 0;
      boolean accepted = true;
      for (int i = 0; i < 4; i++) {
        try {
          long wait = buckets.tryTake(name, THREE);
          assertThat(wait).as(what).isBetween(0L, MAX_WAIT);
          if (wait == 0) {
            granted++;
          }
        } catch (StoreException e) {
          assertThat(e).as(what).hasMessageContaining("'" + name + "' is unreadable");
          assertThat(readState(buckets, name)).as(what + ": deleted").isEmpty();
          accepted = false;
        }
      }
      assertThat(granted).as(what + ": one capacity at most").isLessThanOrEqualTo(3);
      return accepted;
    }
  }
}
