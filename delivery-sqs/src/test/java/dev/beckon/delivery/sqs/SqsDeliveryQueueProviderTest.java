package dev.beckon.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.reference.ReferenceKey;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code sqs:} queue URIs. */
class SqsDeliveryQueueProviderTest {

  @AfterAll
  static void drop() {
    Dynalite.dropTables();
  }

  /** The provider (its ServiceLoader registration is the CLI's to find: beckon.jar ships it). */
  static DeliveryQueueProvider provider() {
    DeliveryQueueProvider p = new SqsDeliveryQueueProvider();
    assertThat(p.accepts("SQS:x")).isTrue();
    return p;
  }

  @Test
  void opensCreatesAndLists() {
    String table = Dynalite.freshTableName();
    String queue = ElasticMq.freshQueueName();
    String uri =
        "sqs:"
            + queue
            + "?table="
            + table
            + "&endpoint=http://127.0.0.1:"
            + ElasticMq.PORT
            + "&dynamodb-endpoint="
            + Dynalite.endpoint()
            + "&create=true";
    try (OpenedQueue q = provider().open(uri)) {
      assertThat(q.description()).isEqualTo("sqs queue " + queue + ", table " + table);
      ReferenceKey to = ReferenceKey.of("msteams", "a:provider");
      assertThat(q.queue().schedule(to, Activity.message("hi"), Instant.now(), "p-1")).isTrue();
      DeliveryPage page = q.queue().list(DeliveryState.PENDING, null, 10);
      assertThat(page.items()).extracting(s -> s.deliveryKey()).containsExactly("p-1");
    }
  }

  @Test
  void refusesWhatItDoesNotKnowBeforeAnyCall() {
    DeliveryQueueProvider p = provider();
    assertThatThrownBy(() -> p.open("sqs:q?colour=blue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> p.open("sqs:bad/name?region=us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue names");
    assertThatThrownBy(() -> p.open("sqs:q?table=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table names");
    assertThatThrownBy(() -> p.open("sqs:q?endpoint=http://u:secret@127.0.0.1:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> p.open("sqs:q?dynamodb-endpoint=http://127.0.0.1:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65535");
  }
}
