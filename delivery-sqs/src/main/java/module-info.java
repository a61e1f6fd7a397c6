/**
 * Beckon's durable delivery queue on Amazon SQS with its state in a DynamoDB table, over an {@code
 * SqsClient} and a {@code DynamoDbClient} you provide (both types are in the builder's signature,
 * so the two service modules are required transitively).
 *
 * <p>The AWS SDK jars have no module descriptors; each declares an {@code Automatic-Module-Name}
 * ({@code software.amazon.awssdk.*}), a stable name to require.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.delivery.sqs {
  requires transitive dev.beckon.core;
  requires transitive software.amazon.awssdk.services.sqs;
  requires transitive software.amazon.awssdk.services.dynamodb;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  // SqsDeliveryQueueProvider builds the clients: region, local credentials, HTTP client
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.regions;
  requires static software.amazon.awssdk.http.urlconnection;
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.delivery.sqs;

  provides dev.beckon.delivery.spi.DeliveryQueueProvider with
      dev.beckon.delivery.sqs.SqsDeliveryQueueProvider;
}
