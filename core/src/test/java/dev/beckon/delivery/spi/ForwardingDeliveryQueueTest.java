package dev.beckon.delivery.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.reference.ReferenceKey;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one forwarding base every decorator of a delivery queue extends. */
class ForwardingDeliveryQueueTest {

  private static final class Plain extends ForwardingDeliveryQueue {
    Plain(DeliveryQueue q) {
      super(q);
    }
  }

  @Test
  void itOverridesEveryMethodOfTheInterfaceDefaultsIncluded() {
    List<String> missing =
        Arrays.stream(DeliveryQueue.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> !declares(m))
            .map(Method::getName)
            .collect(Collectors.toList());
    assertThat(missing)
        .as("DeliveryQueue methods ForwardingDeliveryQueue does not forward")
        .isEmpty();
  }

  @Test
  void everyCallReachesTheDelegate() {
    InMemoryDeliveryQueue memory = new InMemoryDeliveryQueue();
    DeliveryQueue q = new Plain(memory);
    ReferenceKey to = ReferenceKey.of("msteams", "a:1");
    Instant now = Instant.now();
    assertThat(q.schedule(to, Activity.message("hi"), now, "k1")).isTrue();
    assertThat(memory.status("k1")).isPresent();
    assertThat(q.status("k1")).isEqualTo(memory.status("k1"));
    assertThat(q.activity("k1")).isEqualTo(memory.activity("k1"));
    assertThat(q.list(null, null, 10).items()).hasSize(1);
    assertThat(q.counts().orElseThrow().pending()).isEqualTo(1);
    List<Delivery> claimed = q.claim("w", 1, Duration.ofMinutes(1));
    assertThat(claimed).hasSize(1);
    assertThat(q.release(claimed.get(0))).isTrue();
    claimed = q.claim("w", 1, Duration.ofMinutes(1));
    assertThat(q.reschedule(claimed.get(0), Duration.ZERO, 1, "later")).isTrue();
    claimed = q.claim("w", 1, Duration.ofMinutes(1));
    assertThat(q.complete(claimed.get(0), DeliveryState.FAILED, 2, "no", null)).isTrue();
    assertThat(memory.status("k1").orElseThrow().state()).isEqualTo(DeliveryState.FAILED);
    assertThat(q.retry("k1", now)).isTrue();
    assertThat(q.cancel("k1")).isTrue();
    assertThat(q.purge(Instant.now().plusSeconds(1))).isEqualTo(1);
    assertThat(memory.status("k1")).isEmpty();
    assertThat(q).hasToString(memory.toString());
  }

  @Test
  void aDelegateIsRequired() {
    assertThatThrownBy(() -> new Plain(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("delegate");
  }

  private static boolean declares(Method m) {
    try {
      return ForwardingDeliveryQueue.class
          .getDeclaredMethod(m.getName(), m.getParameterTypes())
          .getDeclaringClass()
          .equals(ForwardingDeliveryQueue.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
