package dev.beckon.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.TableMissingException;
import dev.beckon.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What is particular to SQS: long delays, wake-ups without rows, hostile messages, setup. */
class SqsDeliveryQueueTest {
  static final ReferenceKey TO = ReferenceKey.of("msteams", "19:abc@thread.tacv2");
  static final Duration LEASE = Duration.ofMinutes(1);

  MutableClock clock;
  SqsDeliveryQueue queue;

  @BeforeEach
  void setUp() {
    clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
    queue = SqsDeliveryQueueContractTest.fresh(clock);
  }

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  List<String> claimKeys() {
    return queue.claim("w", 10, LEASE).stream().map(Delivery::deliveryKey).toList();
  }

  int messagesLeft() {
    String url = ElasticMq.CLIENT.getQueueUrl(r -> r.queueName(queue.queueName())).queueUrl();
    Map<QueueAttributeName, String> a =
        ElasticMq.CLIENT
            .getQueueAttributes(
                r ->
                    r.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return a.values().stream().mapToInt(Integer::parseInt).sum();
  }

  @Test
  @DisplayName("a delay over SQS's 15 minutes: re-delayed until due, never claimed early")
  void longDelays() {
    queue.schedule(TO, Activity.message("later"), clock.instant().plus(Duration.ofHours(3)), "k");
    clock.advance(Duration.ofMinutes(16));
    assertThat(claimKeys()).isEmpty();
    clock.advance(Duration.ofHours(2));
    assertThat(claimKeys()).isEmpty();
    clock.advance(Duration.ofMinutes(44));
    assertThat(claimKeys()).containsExactly("k");
  }

  @Test
  @DisplayName("a reschedule beyond 15 minutes and a delivery due in 3 days (wake-ups sent afresh)")
  void longReschedules() {
    queue.schedule(TO, Activity.message("x"), clock.instant(), "k");
    Delivery d = queue.claim("w", 1, LEASE).get(0);
    assertThat(queue.reschedule(d, Duration.ofDays(3), 1, "THROTTLED")).isTrue();
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofHours(11));
      assertThat(claimKeys()).as("after %d h", 11 * (i + 1)).isEmpty();
    }
    clock.advance(Duration.ofHours(6));
    assertThat(claimKeys()).containsExactly("k");
    assertThat(queue.status("k").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "completing deletes the wake-up; cancelled and missing rows' wake-ups go after the grace")
  void wakeUpsAreCleanedUp() {
    queue.schedule(TO, Activity.message("a"), clock.instant(), "a");
    queue.schedule(TO, Activity.message("c"), clock.instant(), "c");
    queue.cancel("c");
    SqsDeliveryQueueContractTest.sendRaw(queue, Wire.body("e".repeat(64)));
    Delivery d = queue.claim("w", 10, LEASE).get(0);
    queue.complete(d, DeliveryState.DELIVERED, 1, "ok", "id");
    clock.advance(Duration.ofSeconds(SqsDeliveryQueue.GRACE_SECONDS));
    assertThat(claimKeys()).isEmpty();
    assertThat(messagesLeft()).isZero();
  }

  @Test
  @DisplayName("a wake-up that outruns its row is kept for the grace, and the row is claimed")
  void wakeUpBeforeItsRow() {
    queue.schedule(TO, Activity.message("model"), clock.instant(), "model");
    Delivery model = queue.claim("w", 1, LEASE).get(0);
    queue.complete(model, DeliveryState.DELIVERED, 1, "ok", "id");
    String hash = SqsDeliveryQueueContractTest.keyHash("late");
    SqsDeliveryQueueContractTest.sendRaw(queue, Wire.body(hash));
    assertThat(claimKeys()).isEmpty(); // no row yet
    Map<String, AttributeValue> item = new HashMap<>();
    item.putAll(
        Wire.item(
            new dev.beckon.delivery.spi.QueueRow(
                hash,
                "late",
                TO.channelId(),
                TO.conversationId(),
                "{\"type\":\"message\"}",
                "PENDING",
                0,
                clock.millis(),
                clock.millis(),
                clock.millis(),
                clock.millis(),
                null,
                0,
                null,
                null)));
    Dynalite.CLIENT.putItem(r -> r.tableName(queue.tableName()).item(item));
    clock.advance(Duration.ofSeconds(SqsDeliveryQueue.GRACE_SECONDS));
    assertThat(claimKeys()).containsExactly("late");
  }

  @Test
  @DisplayName(
      "hostile messages (not ours, huge, upper-case hex, mistyped rows) never stop the rest")
  void hostileMessages() {
    queue.schedule(TO, Activity.message("good"), clock.instant(), "good");
    for (String body :
        List.of(
            "x",
            "{\"Records\":[]}",
            Wire.BODY_PREFIX,
            Wire.BODY_PREFIX + "A".repeat(64),
            Wire.BODY_PREFIX + "a".repeat(64) + "\n",
            Wire.BODY_PREFIX + "../../etc/passwd",
            "y".repeat(200_000))) {
      SqsDeliveryQueueContractTest.sendRaw(queue, body);
    }
    // a row whose attributes have the wrong types: state a number, payload a number, attempts text
    String hash = "b".repeat(64);
    Dynalite.CLIENT.putItem(
        r ->
            r.tableName(queue.tableName())
                .item(
                    Map.of(
                        Wire.PK, AttributeValue.fromS(hash),
                        Wire.STATE, AttributeValue.fromN("1"),
                        Wire.PAYLOAD, AttributeValue.fromN("2"),
                        Wire.ATTEMPTS, AttributeValue.fromS("many"))));
    SqsDeliveryQueueContractTest.sendRaw(queue, Wire.body(hash));
    assertThat(claimKeys()).containsExactly("good");
    clock.advance(Duration.ofSeconds(SqsDeliveryQueue.GRACE_SECONDS));
    assertThat(claimKeys()).isEmpty();
    assertThat(messagesLeft()).as("every hostile message deleted").isEqualTo(1); // good's, held
  }

  @Test
  @DisplayName("a missing table or queue names the call that creates it; toString has no address")
  void missingResources() {
    SqsDeliveryQueue noTable =
        SqsDeliveryQueue.builder(ElasticMq.CLIENT, Dynalite.CLIENT)
            .tableName("beckon-sqs-none")
            .queueName(queue.queueName())
            .build();
    assertThatThrownBy(() -> noTable.status("k"))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining("createTable()");
    SqsDeliveryQueue noQueue =
        SqsDeliveryQueue.builder(ElasticMq.CLIENT, Dynalite.CLIENT)
            .tableName(queue.tableName())
            .queueName("beckon-sqs-none")
            .build();
    assertThatThrownBy(() -> noQueue.schedule(TO, Activity.message("x"), Instant.now(), "k"))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining("createQueue()");
    assertThat(queue.toString()).doesNotContain("127.0.0.1").doesNotContain("http");
    assertThat(queue.createTable()).isFalse();
    assertThatThrownBy(
            () -> SqsDeliveryQueue.builder(ElasticMq.CLIENT, Dynalite.CLIENT).queueName("a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
