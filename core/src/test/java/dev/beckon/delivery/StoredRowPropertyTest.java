package dev.beckon.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Stored delivery rows are hostile input: whatever a row holds, a claim hands out only valid
 * deliveries, never throws, and still hands out the good row beside it; status raises only the
 * documented StoreException (or answers).
 */
class StoredRowPropertyTest {

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.of("", "PENDING", "DELIVERED", "{\"type\":\"message\"}", "{", "null", "[]"));
  }

  @Property(tries = 300)
  void hostileRowsNeverStopTheGoodOne(
      @ForAll("text") String key,
      @ForAll("text") String channel,
      @ForAll("text") String conversation,
      @ForAll("text") String payload,
      @ForAll("text") String state,
      @ForAll int attempts,
      @ForAll long notBefore,
      @ForAll("text") String token) {
    TestClock clock = new TestClock();
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock);
    queue.schedule(ReferenceKey.of("msteams", "good"), Activity.message("hi"), clock.now(), "good");
    String hash = key.isEmpty() ? "x" : sha(key);
    queue.putRaw(
        new QueueRow(
            hash,
            key,
            channel,
            conversation,
            payload,
            "PENDING",
            attempts,
            Math.min(notBefore, clock.millis()),
            notBefore,
            notBefore,
            notBefore,
            token.isEmpty() ? null : token,
            0,
            state,
            token));
    List<Delivery> claimed = queue.claim("w", 10, Duration.ofMinutes(1));
    assertThat(claimed).extracting(Delivery::deliveryKey).contains("good");
    for (Delivery d : claimed) {
      assertThat(d.attempts()).isNotNegative();
      assertThat(queue.complete(d, DeliveryState.DELIVERED, d.attempts() + 1, "ok", "a")).isTrue();
    }
    try {
      queue.status(key).ifPresent(s -> assertThat(s.attempts()).isNotNegative());
    } catch (StoreException | IllegalArgumentException expected) {
      // documented: an unreadable row, or a key the queue refuses
    }
    clock.advance(Duration.ofHours(1));
    assertThat(queue.claim("w", 10, Duration.ofMinutes(1))).isEmpty();
    assertThat(queue.purge(Instant.MAX)).isPositive();
  }

  private static String sha(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
