package dev.beckon.testkit;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;

/** The in-memory queue passes the whole queue contract kit. */
class InMemoryDeliveryQueueContractTest extends DeliveryQueueContract {
  @Override
  protected DeliveryQueue createQueue(MutableClock clock) {
    return new InMemoryDeliveryQueue(clock);
  }

  @Override
  protected void writeRaw(DeliveryQueue queue, QueueRow row) {
    ((InMemoryDeliveryQueue) queue).putRaw(row);
  }
}
