package dev.beckon.delivery.sqs;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Timeouts;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.storage.dynamodb.DynamoDbTokenBuckets;
import dev.beckon.testkit.KillStorm;
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
 * One worker JVM of {@link SqsKillStormProcessTest}: a {@link DeliveryWorker} on an SQS queue,
 * paced by the fleet-wide {@link DynamoDbTokenBuckets} limiter at {@link KillStorm#LIMITS}, until
 * its standard input closes (then a graceful stop) or it is killed.
 *
 * <p>Arguments: SQS endpoint, DynamoDB endpoint, queue name, state table, reference table, bucket
 * table, limiter prefix, worker name (all on 127.0.0.1).
 */
public final class SqsWorkerProcess {

  private SqsWorkerProcess() {}

  /**
   * Runs the worker.
   *
   * @param args SQS endpoint, DynamoDB endpoint, queue, table, reference table, bucket table,
   *     limiter prefix, name
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
      DynamoDbTokenBuckets buckets =
          DynamoDbTokenBuckets.builder(dynamo)
              .tableName(args[5])
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      DeliveryWorker worker =
          DeliveryWorker.builder(queue, references, KillStorm.recording(sender, args[7]))
              .name(args[7])
              .concurrency(16)
              .lease(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .retry(KillStorm.WORKER_RETRY)
              .limiter(SendLimiter.fleet(buckets, args[6], KillStorm.LIMITS, KillStorm.HEADROOM))
              .build()
              .start();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
      worker.stop(Duration.ofSeconds(10));
    }
  }
}
