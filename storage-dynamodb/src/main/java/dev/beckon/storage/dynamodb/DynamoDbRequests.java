package dev.beckon.storage.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The request plumbing both of this module's tables share ({@link DynamoDbReferenceRepository} and
 * {@link DynamoDbTokenBuckets}): the API call timeout every request carries, the names and values a
 * condition uses, and creating an on-demand table with Time to Live.
 */
final class DynamoDbRequests {

  private DynamoDbRequests() {}

  /**
   * The override every request carries: the timeout asked for; else none when the client has its
   * own {@code apiCallTimeout}; else {@link DynamoDbReferenceRepository#DEFAULT_REQUEST_TIMEOUT}.
   *
   * @param client the user's client
   * @param requested the builder's {@code requestTimeout}, or {@code null}
   * @return the override, or {@code null} for the client's own
   */
  static @Nullable AwsRequestOverrideConfiguration timeout(
      DynamoDbClient client, @Nullable Duration requested) {
    boolean own;
    try {
      own =
          client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout().isPresent();
    } catch (RuntimeException e) {
      own = false; // a client that does not expose its configuration gets our timeout
    }
    Duration t =
        requested == null && !own ? DynamoDbReferenceRepository.DEFAULT_REQUEST_TIMEOUT : requested;
    return t == null ? null : AwsRequestOverrideConfiguration.builder().apiCallTimeout(t).build();
  }

  /** The names or values ({@code #x}, {@code :x}) an expression uses, or none. */
  static <V> @Nullable Map<String, V> used(@Nullable String expression, Map<String, V> all) {
    Map<String, V> used = new HashMap<>(all);
    used.keySet().removeIf(k -> expression == null || !expression.contains(k));
    return used.isEmpty() ? null : used;
  }

  /**
   * Creates an on-demand table if it does not exist, waits until it is {@code ACTIVE}, and enables
   * Time to Live on a new one (where that fails it logs a warning naming {@code purgeExpired()}).
   *
   * @param client the user's client
   * @param table the table's name
   * @param keys the attribute definitions and key schema
   * @param expires the Time to Live attribute
   * @param timeout every request's override
   * @param wait how long to wait for {@code ACTIVE}
   * @param log the caller's logger
   * @param what what the table is for, in the log line
   * @return {@code true} when created, {@code false} when it existed
   * @throws software.amazon.awssdk.core.exception.SdkException when DynamoDB refuses (the caller
   *     words it)
   */
  static boolean createTable(
      DynamoDbClient client,
      String table,
      Consumer<CreateTableRequest.Builder> keys,
      String expires,
      @Nullable AwsRequestOverrideConfiguration timeout,
      Duration wait,
      Logger log,
      String what) {
    boolean created = true;
    try (DynamoDbWaiter waiter = client.waiter()) {
      try {
        client.createTable(
            r -> {
              keys.accept(r);
              r.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .overrideConfiguration(timeout);
            });
        log.info("Created DynamoDB table {} (on demand) for {}", table, what);
      } catch (ResourceInUseException e) {
        created = false;
      }
      waiter.waitUntilTableExists(
          r -> r.tableName(table).overrideConfiguration(timeout),
          w ->
              w.waitTimeout(wait)
                  .maxAttempts(Integer.MAX_VALUE)
                  .backoffStrategyV2(
                      BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(200))));
    }
    if (created) {
      try {
        client.updateTimeToLive(
            r ->
                r.tableName(table)
                    .timeToLiveSpecification(s -> s.enabled(true).attributeName(expires))
                    .overrideConfiguration(timeout));
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        log.warn(
            "No Time to Live on DynamoDB table {} ({}): call purgeExpired()",
            table,
            e.getClass().getSimpleName());
      }
    }
    return created;
  }
}
