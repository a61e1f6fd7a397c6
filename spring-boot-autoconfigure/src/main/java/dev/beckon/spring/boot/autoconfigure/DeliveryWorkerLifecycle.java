package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.store.ReferenceRepository;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link DeliveryWorker} as a {@link SmartLifecycle}: started with the context, stopped
 * gracefully before the beans it uses are destroyed. On stop it claims nothing more, releases
 * deliveries claimed but not sent, and waits up to {@code beckon.delivery.shutdown-grace} for the
 * sends in flight to finish and record their outcomes. A restart builds a new worker.
 */
final class DeliveryWorkerLifecycle implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkerLifecycle.class);

  private final DeliveryQueue queue;
  private final ReferenceRepository references;
  private final Sender sender;
  private final BeckonProperties.Delivery settings;
  private @Nullable DeliveryWorker worker;

  DeliveryWorkerLifecycle(
      DeliveryQueue queue,
      ReferenceRepository references,
      Sender sender,
      BeckonProperties.Delivery settings,
      List<BeckonDecorator> decorators) {
    DeliveryQueue q = queue;
    for (BeckonDecorator d : decorators) {
      q =
          Objects.requireNonNull(
              d.deliveryQueue(settings.getName(), q),
              "a BeckonDecorator returned a null delivery queue");
    }
    this.queue = q;
    this.references = references;
    this.sender = sender;
    this.settings = settings;
    build(); // fails at startup, not at start(), when a setting is out of range
  }

  private DeliveryWorker build() {
    return DeliveryWorker.builder(queue, references, sender)
        .concurrency(settings.getConcurrency())
        .lease(settings.getLease())
        .pollInterval(settings.getPollInterval())
        .resendUnknown(settings.isResendUnknown())
        .build();
  }

  /**
   * The queue the worker claims from: the bean, through the decorators (with beckon-micrometer and
   * a meter registry, the one keeping the {@code beckon.delivery.*} meters).
   *
   * @return the queue
   */
  DeliveryQueue queue() {
    return queue;
  }

  @Override
  public synchronized void start() {
    if (worker == null) {
      DeliveryWorker w = build().start();
      worker = w;
      LOG.info(
          "Beckon delivery worker {} started on {} ({} at once)",
          w.name(),
          queue,
          settings.getConcurrency());
    }
  }

  @Override
  public synchronized void stop() {
    DeliveryWorker w = worker;
    if (w == null) {
      return;
    }
    worker = null;
    Duration grace = settings.getShutdownGrace();
    if (w.stop(grace)) {
      LOG.info("Beckon delivery worker {} stopped: every claim finished or was released", w.name());
    } else {
      LOG.warn(
          "Beckon delivery worker {} stopped with sends still in flight after {}: a worker that "
              + "takes their claims after the lease records them UNKNOWN",
          w.name(),
          grace);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return worker != null;
  }

  @Override
  public int getPhase() {
    // stopped before the web server (DEFAULT_PHASE - 1024) and long before the beans it uses
    return SmartLifecycle.DEFAULT_PHASE;
  }

  @Override
  public String toString() {
    return "DeliveryWorkerLifecycle[" + queue + ", running=" + isRunning() + "]";
  }
}
