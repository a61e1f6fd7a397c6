package dev.beckon.delivery.sqs;

import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One worker JVM of {@link SqsKillStormProcessTest}: a {@link DeliveryWorker} on an SQS queue until
 * its standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: SQS endpoint, DynamoDB endpoint, queue name, state table, reference table, worker
 * name (all on 127.0.0.1).
 */
public final class SqsWorkerProcess {

  private SqsWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args SQS endpoint, DynamoDB endpoint, queue, table, reference table, name
   * @throws IOException when standard input fails
   */
  public static void main(String[] args) throws IOException {
    StaticCredentialsProvider creds =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("beckon", "beckon"));
    try (SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        DynamoDbClient dynamo =
            DynamoDbClient.builder()
                .endpointOverride(URI.create(args[1]))
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        BotConnectorSender sender =
            BotConnectorSender.builder()
                .anonymous()
                .timeouts(
                    new Timeouts(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .maxConnections(32)
                .build()) {
      SqsDeliveryQueue queue =
          SqsDeliveryQueue.builder(sqs, dynamo).queueName(args[2]).tableName(args[3]).build();
      DynamoDbReferenceRepository references =
          DynamoDbReferenceRepository.builder(dynamo).tableName(args[4]).build();
      DeliveryWorker worker =
          DeliveryWorker.builder(queue, references, sender)
              .name(args[5])
              .concurrency(16)
              .lease(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .retry(
                  RetryStrategy.builder()
                      .maxAttempts(20)
                      .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))
                      .throttlingBackoff(
                          Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2)))
                      .maxRetryAfter(Duration.ofSeconds(5))
                      .deadline(Duration.ofMinutes(5))
                      .build())
              .build()
              .start();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      worker.stop(Duration.ofSeconds(10));
    }
  }
}
