package dev.beckon.delivery.sqs;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.testkit.DeliveryQueueContract;
import dev.beckon.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;

/**
 * The queue contract kit on ElasticMQ (in process, on the test's clock) and dynalite. SQS hands out
 * messages in its own order: {@link #claimsOldestFirst()} is {@code false}.
 */
class SqsDeliveryQueueContractTest extends DeliveryQueueContract {

  static SqsDeliveryQueue fresh(MutableClock clock) {
    ElasticMq.useClock(clock);
    SqsDeliveryQueue q =
        SqsDeliveryQueue.builder(ElasticMq.CLIENT, Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .queueName(ElasticMq.freshQueueName())
            .clock(clock)
            .build();
    q.createTable();
    q.createQueue();
    return q;
  }

  /** Writes an item as given and its wake-up message, as a hostile writer could. */
  static void writeRawRow(SqsDeliveryQueue q, QueueRow row) {
    Dynalite.CLIENT.putItem(r -> r.tableName(q.tableName()).item(Wire.item(row)));
    sendRaw(q, Wire.body(row.keyHash()));
  }

  static void sendRaw(SqsDeliveryQueue q, String body) {
    String url = ElasticMq.CLIENT.getQueueUrl(r -> r.queueName(q.queueName())).queueUrl();
    ElasticMq.CLIENT.sendMessage(r -> r.queueUrl(url).messageBody(body));
  }

  static String keyHash(String deliveryKey) {
    return keyHashOf(deliveryKey);
  }

  @Override
  protected DeliveryQueue createQueue(MutableClock clock) {
    return fresh(clock);
  }

  @Override
  protected void writeRaw(DeliveryQueue queue, QueueRow row) {
    writeRawRow((SqsDeliveryQueue) queue, row);
  }

  @Override
  protected boolean claimsOldestFirst() {
    return false;
  }

  @Override
  protected int racingDeliveries() {
    return 100;
  }

  @Override
  protected int broadcastReferences() {
    return 12; // dynalite is the slow part: ~8 requests per reference
  }

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  @Override
  protected boolean countsDeliveries() {
    return false;
  }
}
