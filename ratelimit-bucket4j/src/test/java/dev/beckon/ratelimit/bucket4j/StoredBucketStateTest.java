package dev.beckon.ratelimit.bucket4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.broadcast.TokenBucket;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.MathType;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.RemoteStat;
import io.github.bucket4j.distributed.serialization.InternalSerializationHelper;
import io.github.bucket4j.distributed.versioning.Versions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The checks of a stored state, without a store: what each one says, and that none throws. */
class StoredBucketStateTest {

  private static final List<TokenBucket> THREE =
      List.of(new TokenBucket(3, 1, Duration.ofSeconds(1)));
  private static final List<TokenBucket> TWO_LIMITS =
      List.of(
          new TokenBucket(3, 1, Duration.ofSeconds(1)),
          new TokenBucket(10, 1, Duration.ofHours(1)));

  private static long now() {
    return System.currentTimeMillis() * 1_000_000;
  }

  private static StoredBucketState check(List<TokenBucket> limits) {
    return new StoredBucketState(limits, Versions.getLatest());
  }

  /** A state of the limits: refilled {@code ahead} of now, one taken, plus {@code extraTokens}. */
  private static byte[] stateOf(List<TokenBucket> limits, Duration ahead, long extraTokens) {
    BucketState s =
        BucketState.createInitialState(
            check(limits).config(), MathType.INTEGER_64_BITS, now() + ahead.toNanos());
    s.consume(1);
    if (extraTokens > 0) {
      s.forceAddTokens(extraTokens);
    }
    return InternalSerializationHelper.serializeState(
        new RemoteBucketState(s, new RemoteStat(0), null), Versions.getLatest());
  }

  private static final byte[] GOOD = stateOf(THREE, Duration.ZERO, 0);

  @Test
  void aStateOfTheLimitsIsReadable() {
    assertThat(check(THREE).problem(GOOD, now())).isNull();
    assertThat(check(TWO_LIMITS).problem(stateOf(TWO_LIMITS, Duration.ZERO, 0), now())).isNull();
    assertThat(check(THREE).problem(stateOf(THREE, Duration.ofMinutes(9), 0), now()))
        .as("within the clock skew")
        .isNull();
    assertThat(GOOD.length).as("one limit").isEqualTo(107);
  }

  @Test
  void theChecksNameWhatIsWrong() {
    StoredBucketState c = check(THREE);
    long now = now();
    assertThat(c.problem(new byte[5000], now))
        .isEqualTo("it holds 5000 bytes (at most 4096 are read)");
    assertThat(c.problem(new byte[3], now))
        .isEqualTo("its 3 bytes are not a Bucket4j state of this limiter's limits (107 bytes)");
    assertThat(c.problem(stateOf(TWO_LIMITS, Duration.ZERO, 0), now))
        .contains("are not a Bucket4j state");
    assertThat(check(TWO_LIMITS).problem(GOOD, now)).contains("are not a Bucket4j state");
    assertThat(
            c.problem(
                stateOf(List.of(new TokenBucket(30, 1, Duration.ofSeconds(1))), Duration.ZERO, 0),
                now))
        .as("another capacity, same length")
        .contains("are not a Bucket4j state");
    assertThat(c.problem(stateOf(THREE, Duration.ofDays(365), 0), now))
        .isEqualTo("limit 0 was last refilled in the future");
    assertThat(c.problem(stateOf(THREE, Duration.ZERO, 1000), now))
        .isEqualTo("limit 0 holds 1002 tokens (capacity 3)");
    assertThat(c.problem(Arrays.copyOf(GOOD, GOOD.length + 1), now)).contains("108 bytes are not");
    assertThat(c.problem(Arrays.copyOf(GOOD, GOOD.length - 1), now)).contains("106 bytes are not");
    byte[] negative = GOOD.clone();
    ByteBuffer.wrap(negative).putLong(negative.length - 12 - 16, -1);
    assertThat(c.problem(negative, now)).isEqualTo("limit 0 holds -1 tokens (capacity 3)");
    byte[] remainder = GOOD.clone();
    ByteBuffer.wrap(remainder).putLong(remainder.length - 12 - 8, Long.MAX_VALUE);
    assertThat(c.problem(remainder, now))
        .as("a remainder that would make the wait negative")
        .startsWith("limit 0 has a refill remainder of");
  }

  @Provide
  Arbitrary<byte[]> states() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 400);
    Arbitrary<Integer> hostileInt =
        Arbitraries.oneOf(
            Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1, 1 << 20, 1 << 28),
            Arbitraries.integers());
    Arbitrary<Long> hostileLong =
        Arbitraries.oneOf(
            Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L, 1L), Arbitraries.longs());
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Combinators.combine(at, Arbitraries.bytes())
            .as(
                (i, b) -> {
                  byte[] s = GOOD.clone();
                  s[i % s.length] ^= b == 0 ? 1 : b;
                  return s;
                }),
        Combinators.combine(at, hostileInt)
            .as(
                (i, v) -> {
                  byte[] s = GOOD.clone();
                  ByteBuffer.wrap(s).putInt(i % (s.length - 3), v);
                  return s;
                }),
        Combinators.combine(at, hostileLong)
            .as(
                (i, v) -> {
                  byte[] s = GOOD.clone();
                  ByteBuffer.wrap(s).putLong(i % (s.length - 7), v);
                  return s;
                }),
        at.map(i -> Arrays.copyOf(GOOD, i % (GOOD.length + 1))),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(64)
            .map(
                tail -> {
                  byte[] s = Arrays.copyOf(GOOD, GOOD.length + tail.length);
                  System.arraycopy(tail, 0, s, GOOD.length, tail.length);
                  return s;
                }));
  }

  @Property(tries = 2000)
  void theChecksNeverThrowAndWhatTheyPassIsWithinCapacity(@ForAll("states") byte[] state) {
    long now = now();
    String problem = check(THREE).problem(state, now);
    if (problem == null) {
      RemoteBucketState s = InternalSerializationHelper.deserializeState(state);
      assertThat(s.getState().getCurrentSize(0)).isBetween(0L, 3L);
      assertThat(s.getState().calculateDelayNanosAfterWillBePossibleToConsume(1, now, false))
          .isBetween(0L, Duration.ofSeconds(2).plus(Bucket4jTokenBuckets.CLOCK_SKEW).toNanos());
    }
  }
}
