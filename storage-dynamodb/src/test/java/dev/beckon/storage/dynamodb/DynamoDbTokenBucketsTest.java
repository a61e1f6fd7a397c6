package dev.beckon.storage.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.TokenBucket;
import dev.beckon.store.StoreException;
import dev.beckon.store.TableMissingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What only {@link DynamoDbTokenBuckets} does, on dynalite: the table's lifecycle, the item as
 * documented, the purge, and items whose attributes are not a bucket's (each one deleted with a
 * {@link StoreException}, the next call full). The rest of what a token bucket store must do is
 * {@link DynamoDbTokenBucketsContractTest} (the testkit's contract).
 */
class DynamoDbTokenBucketsTest {

  private static final List<TokenBucket> THREE =
      List.of(new TokenBucket(3, 1, Duration.ofSeconds(1)));

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  static DynamoDbTokenBuckets buckets() {
    DynamoDbTokenBuckets b =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .requestTimeout(Duration.ofSeconds(30)) // dynalite on a loaded machine
            .build();
    assertThat(b.createTable()).isTrue();
    assertThat(b.createTable()).as("idempotent").isFalse();
    return b;
  }

  @Test
  void aMissingTableNamesTheCallThatCreatesIt() {
    DynamoDbTokenBuckets b =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT).tableName(Dynalite.freshTableName()).build();
    assertThatThrownBy(() -> b.tryTake("b", THREE))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining(b.tableName())
        .hasMessageContaining("DynamoDbTokenBuckets.createTable()");
  }

  @Test
  void theBuilderRefusesWhatDynamoDbWould() {
    DynamoDbTokenBuckets.Builder b = DynamoDbTokenBuckets.builder(Dynalite.CLIENT);
    assertThatThrownBy(() -> b.tableName("ab")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tableName("a b c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.build()).hasToString("DynamoDbTokenBuckets[table beckon_rate_limits]");
  }

  @Test
  void anItemIsWrittenAsDocumented() {
    DynamoDbTokenBuckets b = buckets();
    long before = Instant.now().getEpochSecond();
    b.tryTake("b", THREE);
    Map<String, AttributeValue> item = item(b, "b");
    assertThat(item.keySet()).containsExactlyInAnyOrder("name", "state", "version", "expiresAt");
    assertThat(item.get("version").n()).isEqualTo("1");
    assertThat(item.get("state").b().asByteArray().length)
        .isBetween(1, DynamoDbTokenBuckets.MAX_STATE_BYTES);
    // one token short of 3 refills in 1 s; plus 10 s
    assertThat(Long.parseLong(item.get("expiresAt").n())).isBetween(before + 10, before + 13);
    b.tryTake("b", THREE);
    assertThat(item(b, "b").get("version").n()).isEqualTo("2");
  }

  @Test
  void purgeExpiredDeletesTheBucketsThatAreFullAgain() {
    DynamoDbTokenBuckets b = buckets();
    b.tryTake("b", THREE);
    assertThat(b.purgeExpired()).isZero();
    DynamoDbTokenBuckets later =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(b.tableName())
            .clock(Clock.fixed(Instant.now().plusSeconds(60), ZoneOffset.UTC))
            .build();
    assertThat(later.purgeExpired()).isEqualTo(1);
    assertThat(item(b, "b")).isEmpty();
  }

  // ------------------------------------------------------------------ hostile items

  @Test
  void itemsWhoseAttributesAreNotTheBucketsAreDeletedWithAStoreException() {
    DynamoDbTokenBuckets b = buckets();
    b.tryTake("good", THREE);
    byte[] good = item(b, "good").get("state").b().asByteArray();
    List<Map<String, AttributeValue>> items =
        List.of(
            Map.of("state", AttributeValue.fromS("not binary"), "version", n("1")),
            Map.of("state", bytes(good), "version", AttributeValue.fromS("1")),
            Map.of("state", bytes(good), "version", n("-1")),
            Map.of("state", bytes(good), "version", n("0")),
            Map.of("state", bytes(good)),
            Map.of("version", n("1")));
    List<String> says =
        List.of(
            "its state is not binary",
            "its version is not a positive whole number",
            "its version is not a positive whole number",
            "its version is not a positive whole number",
            "its version is not a positive whole number",
            "its state is not binary");
    for (int i = 0; i < items.size(); i++) {
      put(b, "h", items.get(i));
      assertThatThrownBy(() -> b.tryTake("h", THREE))
          .as("item %d", i)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("bucket item 'h' is unreadable (" + says.get(i) + ")");
      assertThat(item(b, "h")).as("deleted").isEmpty();
      assertThat(b.tryTake("h", THREE)).as("the next call starts it full").isZero();
      assertThat(b.tryTake("h", THREE)).isZero();
      assertThat(b.tryTake("h", THREE)).isZero();
      assertThat(b.tryTake("h", THREE)).as("and its capacity holds").isPositive();
    }
  }

  private static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  private static AttributeValue bytes(byte[] b) {
    return AttributeValue.fromB(SdkBytes.fromByteArray(b));
  }

  static void put(DynamoDbTokenBuckets b, String name, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(attributes);
    item.put("name", AttributeValue.fromS(name));
    Dynalite.CLIENT.putItem(r -> r.tableName(b.tableName()).item(item));
  }

  static Map<String, AttributeValue> item(DynamoDbTokenBuckets b, String name) {
    return Dynalite.CLIENT
        .getItem(
            r ->
                r.tableName(b.tableName())
                    .key(Map.of("name", AttributeValue.fromS(name)))
                    .consistentRead(true))
        .item();
  }
}
