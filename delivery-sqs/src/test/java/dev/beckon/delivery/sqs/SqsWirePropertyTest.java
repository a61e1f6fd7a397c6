package dev.beckon.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * What comes back from SQS and DynamoDB is hostile: the parses never throw and keep only what is
 * bounded, and hostile rows and messages beside a good delivery never stop it.
 */
class SqsWirePropertyTest {

  private static final List<String> NAMES =
      List.of(
          Wire.PK,
          Wire.KEY,
          Wire.CHANNEL,
          Wire.CONVERSATION,
          Wire.PAYLOAD,
          Wire.STATE,
          Wire.ATTEMPTS,
          Wire.NOT_BEFORE,
          Wire.FIRST_DUE,
          Wire.CREATED,
          Wire.UPDATED,
          Wire.TOKEN,
          Wire.LEASE_UNTIL,
          Wire.OUTCOME,
          Wire.ACTIVITY_ID,
          Wire.RECEIPT,
          "other");

  @Provide
  Arbitrary<AttributeValue> values() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(3000);
    Arbitrary<String> numberish =
        Arbitraries.oneOf(
            Arbitraries.longs().map(n -> Long.toString(n)),
            Arbitraries.strings().withChars("0123456789eE.-+").ofMaxLength(40),
            Arbitraries.of("1e400", "-1e400", "NaN", "Infinity", "", "9".repeat(30)));
    return Arbitraries.oneOf(
        text.map(AttributeValue::fromS),
        numberish.map(AttributeValue::fromN),
        Arbitraries.of(true, false).map(AttributeValue::fromBool),
        Arbitraries.just(AttributeValue.fromNul(true)),
        text.map(s -> AttributeValue.fromB(SdkBytes.fromUtf8String(s))),
        text.list().ofMaxSize(3).map(AttributeValue::fromSs));
  }

  @Provide
  Arbitrary<Map<String, AttributeValue>> items() {
    return Combinators.combine(Arbitraries.of(NAMES), values())
        .as(Map::entry)
        .list()
        .ofMaxSize(20)
        .map(
            entries -> {
              Map<String, AttributeValue> m = new HashMap<>();
              entries.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            });
  }

  @Property(tries = 500)
  void anyItemReadsAsARowWithoutRaising(@ForAll("items") Map<String, AttributeValue> item) {
    QueueRow row = Wire.row(item);
    assertThat(row.state()).isNotNull();
    String receipt = Wire.receiptOf(item);
    assertThat(receipt == null || receipt.length() <= Wire.MAX_RECEIPT).isTrue();
  }

  @Property(tries = 500)
  void anyBodyIsAKeyHashOrNothing(@ForAll("bodies") String body) {
    Wire.keyHashOf(body).ifPresent(h -> assertThat(h).matches("[0-9a-f]{64}"));
    Wire.millisOf(body);
  }

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().ofMaxLength(80).map(s -> Wire.BODY_PREFIX + s),
        Arbitraries.strings()
            .withChars("0123456789abcdefABCDEF")
            .ofLength(64)
            .map(s -> Wire.BODY_PREFIX + s));
  }

  // one queue for every try below: each try adds hostile rows beside one good delivery
  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
  private static SqsDeliveryQueue queue;
  private static int round;

  @Property(tries = 10)
  void hostileRowsAndMessagesNeverStopAGoodOne(
      @ForAll("items") Map<String, AttributeValue> hostile, @ForAll("bodies") String body) {
    if (queue == null) {
      queue = SqsDeliveryQueueContractTest.fresh(CLOCK);
    }
    ElasticMq.useClock(CLOCK);
    String key = "good-" + round++;
    queue.schedule(
        ReferenceKey.of("msteams", "19:a@thread.tacv2"),
        Activity.message("hi"),
        CLOCK.instant(),
        key);
    Map<String, AttributeValue> item = new HashMap<>(hostile);
    // the hostile row is in the table under some key, and a wake-up names it
    String hash = String.format("%064x", round);
    item.put(Wire.PK, AttributeValue.fromS(hash));
    try {
      Dynalite.CLIENT.putItem(r -> r.tableName(queue.tableName()).item(item));
    } catch (DynamoDbException notStorable) {
      // DynamoDB refuses it (a number out of its range, an empty set): no one can store it
    }
    SqsDeliveryQueueContractTest.sendRaw(queue, Wire.body(hash));
    if (!body.isEmpty()) {
      SqsDeliveryQueueContractTest.sendRaw(queue, sqsSafe(body));
    }
    boolean found = false;
    for (int i = 0; i < 5 && !found; i++) {
      for (Delivery d : queue.claim("w", 10, Duration.ofMinutes(1))) {
        if (d.deliveryKey().equals(key)) {
          found = true;
        }
        queue.complete(d, DeliveryState.DELIVERED, 1, "ok", "a");
      }
    }
    assertThat(found).as("the good delivery is claimed").isTrue();
    CLOCK.advance(Duration.ofMinutes(2));
  }

  /** SQS refuses bodies with characters outside XML's: those become '?'. */
  static String sqsSafe(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c < 0xD800)
              || (c >= 0xE000 && c < 0xFFFE);
      b.append(ok ? c : '?');
    }
    return b.toString();
  }

  @AfterContainer
  static void drop() {
    Dynalite.dropTables();
  }
}
