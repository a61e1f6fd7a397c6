package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one owned-clients mechanism behind {@link OpenedStore} and {@link OpenedQueue}. */
class AbstractOpenedTest {

  private final List<String> closed = new ArrayList<>();

  private AutoCloseable client(String name) {
    return () -> closed.add(name);
  }

  @Test
  void aStoreClosesItsClientsLastCreatedFirstAndAFailingOneKeepsNoOtherOpen() {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    AutoCloseable failing =
        () -> {
          closed.add("b");
          throw new IllegalStateException("cannot close");
        };
    OpenedStore s = OpenedStore.of(repo, "memory x", client("a"), failing, client("c"));
    assertThat(s.repository()).isSameAs(repo);
    assertThat(s.description()).isEqualTo("memory x");
    assertThat(s).hasToString("memory x");
    s.close();
    assertThat(closed).containsExactly("c", "b", "a");
  }

  @Test
  void aQueueOverAClientOwnsItAndClosesItWhenBuildingFails() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue();
    try (OpenedQueue opened = OpenedQueue.over(client("pool"), "memory q", c -> q)) {
      assertThat(opened.queue()).isSameAs(q);
      assertThat(opened).hasToString("memory q");
      assertThat(closed).isEmpty();
    }
    assertThat(closed).containsExactly("pool");
    closed.clear();
    assertThatThrownBy(
            () ->
                OpenedQueue.over(
                    client("pool"),
                    "memory q",
                    c -> {
                      throw new IllegalArgumentException("no table");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no table");
    assertThat(closed).containsExactly("pool");
  }

  @Test
  void theValueAndTheDescriptionAreRequiredAndNamed() {
    assertThatThrownBy(() -> OpenedStore.of(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("repository");
    assertThatThrownBy(() -> OpenedQueue.of(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("queue");
    assertThatThrownBy(() -> OpenedStore.of(new InMemoryReferenceRepository(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("description");
    assertThatThrownBy(() -> OpenedStore.over(client("c"), "x", c -> null))
        .isInstanceOf(NullPointerException.class);
    assertThat(closed).containsExactly("c");
  }
}
