package dev.beckon.cli;

import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third party's delivery queue, known to the CLI only through {@code
 * src/test/resources/META-INF/services}: {@code test-memory:<name>[;queueKey=secret][;fail]}, one
 * in-memory queue per name. {@code queueKey} is a secret parameter of its own; {@code ;fail} makes
 * {@link #open} fail with a message quoting the URI.
 */
public final class TestMemoryQueueProvider implements DeliveryQueueProvider {

  /** The queues opened so far, by name. */
  static final Map<String, InMemoryDeliveryQueue> QUEUES = new ConcurrentHashMap<>();

  /** How many opened queues were closed. */
  static final AtomicInteger CLOSED = new AtomicInteger();

  /** Creates the provider. */
  public TestMemoryQueueProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("test-memory");
  }

  @Override
  public String usage() {
    return "test-memory:<name> (a test-only queue in memory; its secret parameter is queueKey)";
  }

  @Override
  public Set<String> secretParameters() {
    return Set.of("queueKey");
  }

  @Override
  public OpenedQueue open(String uri) {
    if (uri.endsWith(";fail")) {
      throw new IllegalStateException("cannot reach " + uri);
    }
    String rest = uri.substring("test-memory:".length());
    int semi = rest.indexOf(';');
    String name = semi < 0 ? rest : rest.substring(0, semi);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("test-memory: needs a name in '" + uri + "'");
    }
    return OpenedQueue.of(
        QUEUES.computeIfAbsent(name, n -> new InMemoryDeliveryQueue()),
        "test-memory queue " + name,
        CLOSED::incrementAndGet);
  }

  /** The queue of a name, created when missing. */
  static InMemoryDeliveryQueue queue(String name) {
    return QUEUES.computeIfAbsent(name, n -> new InMemoryDeliveryQueue());
  }
}
