/**
 * Beckon's Amazon DynamoDB store over a {@code DynamoDbClient} you provide (the client type is in
 * the builder's signature, so the DynamoDB service module is required transitively).
 *
 * <p>The AWS SDK jars have no module descriptors; each declares an {@code Automatic-Module-Name}
 * ({@code software.amazon.awssdk.*}), a stable name to require.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.storage.dynamodb {
  requires transitive dev.beckon.core;
  requires transitive software.amazon.awssdk.services.dynamodb;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.retries.api; // the backoff of createTable()'s waiter
  requires software.amazon.awssdk.auth; // the provider's client: local credentials, region, HTTP
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.regions;
  requires org.slf4j;
  requires dev.beckon.ratelimit.bucket4j; // DynamoDbTokenBuckets
  // the provider's HTTP client, optional: loaded only when a dynamodb: URI is opened
  requires static software.amazon.awssdk.http.urlconnection;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.storage.dynamodb;

  provides dev.beckon.store.spi.StoreProvider with
      dev.beckon.storage.dynamodb.DynamoDbStoreProvider;
}
