/**
 * Durable delivery: "tell this conversation this, not before then", kept in a queue that survives
 * restarts and is shared by any number of worker processes.
 *
 * <p>An application {@link dev.beckon.delivery.DeliveryQueue#schedule schedules} a delivery under a
 * key of its own (scheduling the same key again is the same delivery), and a {@link
 * dev.beckon.delivery.DeliveryWorker} in any process claims it when it is due, looks the
 * conversation reference up at that moment, sends it through a {@link dev.beckon.send.Sender}, and
 * records what happened: {@link dev.beckon.delivery.DeliveryQueue#status status} answers from any
 * process. See {@code docs/delivery.md} for the semantics table.
 *
 * <p>Backends extend {@link dev.beckon.delivery.spi.AbstractDeliveryQueue}; {@link
 * dev.beckon.delivery.memory.InMemoryDeliveryQueue} is the one for tests and demos.
 */
@NullMarked
package dev.beckon.delivery;

import org.jspecify.annotations.NullMarked;
