package dev.beckon.storage.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.broadcast.TokenBucket;
import dev.beckon.store.StoreException;
import io.github.bucket4j.distributed.versioning.Versions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Whatever state is stored in a bucket's item, {@link DynamoDbTokenBuckets} never lets more than
 * the bucket's capacity through at once, never answers a wait longer than a full refill plus the
 * clock skew, and fails only with {@link StoreException} (nothing else, no hang, no allocation
 * beyond the state's size). The states: random bytes, and a good state mutated (bytes flipped, a
 * 4-byte window set to a hostile int, cut short, lengthened).
 */
class DynamoDbTokenBucketsPropertyTest {

  private static final List<TokenBucket> THREE =
      List.of(new TokenBucket(3, 1, Duration.ofSeconds(1)));
  private static final long MAX_WAIT =
      Duration.ofSeconds(3).plus(DynamoDbTokenBuckets.CLOCK_SKEW).plusSeconds(1).toNanos();
  private static final String TABLE = Dynalite.freshTableName();
  private static DynamoDbTokenBuckets buckets;
  private static byte[] good = new byte[0];

  @BeforeContainer
  static void table() {
    buckets =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(TABLE)
            .requestTimeout(Duration.ofSeconds(30)) // dynalite on a loaded machine
            .build();
    buckets.createTable();
    buckets.tryTake("good", THREE);
    good = DynamoDbTokenBucketsTest.item(buckets, "good").get("state").b().asByteArray();
  }

  @AfterContainer
  static void drop() {
    Dynalite.dropTables();
  }

  @Provide
  Arbitrary<byte[]> states() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 400);
    Arbitrary<Integer> hostileInt =
        Arbitraries.oneOf(
            Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1, 1 << 20, 1 << 28),
            Arbitraries.integers());
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Combinators.combine(at, Arbitraries.bytes())
            .as(
                (i, b) -> {
                  byte[] s = good.clone();
                  s[i % s.length] ^= b == 0 ? 1 : b;
                  return s;
                }),
        Combinators.combine(at, hostileInt)
            .as(
                (i, v) -> {
                  byte[] s = good.clone();
                  ByteBuffer.wrap(s).putInt(i % (s.length - 3), v);
                  return s;
                }),
        at.map(i -> Arrays.copyOf(good, i % (good.length + 1))),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(64)
            .map(
                tail -> {
                  byte[] s = Arrays.copyOf(good, good.length + tail.length);
                  System.arraycopy(tail, 0, s, good.length, tail.length);
                  return s;
                }));
  }

  @Property(tries = 150)
  void noStoredStateLetsMoreThanTheCapacityThroughOrFailsOtherwise(@ForAll("states") byte[] state) {
    DynamoDbTokenBucketsTest.put(
        buckets,
        "h",
        Map.of(
            "state",
            AttributeValue.fromB(SdkBytes.fromByteArray(state)),
            "version",
            AttributeValue.fromN("7")));
    int granted = 0;
    for (int i = 0; i < 4; i++) {
      try {
        long wait = buckets.tryTake("h", THREE);
        assertThat(wait).isBetween(0L, MAX_WAIT);
        if (wait == 0) {
          granted++;
        }
      } catch (StoreException e) {
        assertThat(e).hasMessageContaining("bucket item h was deleted");
      }
    }
    assertThat(granted).as("one capacity at most, whatever was stored").isLessThanOrEqualTo(3);
  }

  @Property(tries = 2000)
  void theChecksNeverThrow(@ForAll("states") byte[] state) {
    long now = System.currentTimeMillis() * 1_000_000;
    DynamoDbTokenBuckets.problem(
        state, new DynamoDbTokenBuckets.Limits(THREE, Versions.getLatest(), now), now);
  }
}
