package dev.beckon.storage.dynamodb;

import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.testkit.TokenBucketsContract;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The token-bucket contract kit against dynalite, a fresh table per test. */
class DynamoDbTokenBucketsContractTest extends TokenBucketsContract {

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  @Override
  protected TokenBuckets createBuckets() {
    return DynamoDbTokenBucketsTest.buckets();
  }

  @Override
  protected TokenBuckets sameStore(TokenBuckets buckets) {
    return DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
        .tableName(((DynamoDbTokenBuckets) buckets).tableName())
        .requestTimeout(Duration.ofSeconds(30)) // dynalite on a loaded machine
        .build();
  }

  @Override
  protected int oversizedState() {
    return 5000; // an item holds at most 400 KB
  }

  @Override
  protected Optional<byte[]> readState(TokenBuckets buckets, String name) {
    Map<String, AttributeValue> item =
        DynamoDbTokenBucketsTest.item((DynamoDbTokenBuckets) buckets, name);
    return item == null || item.isEmpty()
        ? Optional.empty()
        : Optional.of(item.get("state").b().asByteArray());
  }

  @Override
  protected void writeState(TokenBuckets buckets, String name, byte[] state) {
    DynamoDbTokenBucketsTest.put(
        (DynamoDbTokenBuckets) buckets,
        name,
        Map.of(
            "state",
            AttributeValue.fromB(SdkBytes.fromByteArray(state)),
            "version",
            AttributeValue.fromN("7")));
  }
}
