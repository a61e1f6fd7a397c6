/**
 * The queue author's layer: a handful of primitives that a backend implements, under {@link
 * dev.beckon.delivery.spi.AbstractDeliveryQueue}, which builds every operation of {@link
 * dev.beckon.delivery.DeliveryQueue} from them and owns the semantics (keys, the stored activity
 * document and its limits, claim tokens, state transitions, unreadable rows, messages).
 *
 * <p>Each primitive is one atomic step of the backend: {@code insert} if absent, {@code read},
 * {@code claim} due rows under a lease, {@code update} a row if a condition holds (the claim token
 * it is held by, or its state), and {@code purge} final rows. See {@code docs/delivery.md} for how
 * JDBC, Redis Streams and cloud queues map onto them.
 */
@NullMarked
package dev.beckon.delivery.spi;

import org.jspecify.annotations.NullMarked;
