package dev.beckon.delivery.sqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ in this JVM, on 127.0.0.1 and a free port, with SQS's strict limits, and its time taken
 * from {@link #useClock}: a test's {@code MutableClock} moves SQS's delays and visibility timeouts
 * as it moves the queue's due times and leases (SQS's clock and the queue's are the same clock, as
 * they are in step in production).
 */
final class ElasticMq {
  private static final AtomicInteger QUEUES = new AtomicInteger();
  private static final String RUN = Long.toHexString(System.nanoTime() & 0xffffff);

  /**
   * SQS's time: the real time plus how far the running test moved its clock. ElasticMQ stamps a
   * sent message (its delay, its SentTimestamp) with the real time and checks visibility with this
   * one; so SQS's time runs with the test's moves, a few real milliseconds ahead of the queue's
   * clock (early wake-ups are re-hidden by the queue: its state rows, on the queue's clock,
   * decide).
   */
  static final class TestNow extends NowProvider {
    @Override
    public long nowMillis() {
      Base b = BASE.get();
      return System.currentTimeMillis() + (b.clock().millis() - b.at());
    }

    @Override
    public OffsetDateTime now() {
      return OffsetDateTime.ofInstant(Instant.ofEpochMilli(nowMillis()), ZoneOffset.UTC);
    }
  }

  private record Base(Clock clock, long at) {}

  private static final AtomicReference<Base> BASE =
      new AtomicReference<>(new Base(Clock.systemUTC(), Clock.systemUTC().millis()));

  static final int PORT = freePort();
  static final ActorSystem SYSTEM = ActorSystem.create("beckon-elasticmq");
  static final SQSRestServer SERVER = start();
  static final SqsClient CLIENT =
      SqsClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + PORT))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("beckon", "beckon")))
          .httpClient(
              UrlConnectionHttpClient.builder()
                  .connectionTimeout(Duration.ofSeconds(5))
                  .socketTimeout(Duration.ofSeconds(30))
                  .build())
          .build();

  private ElasticMq() {}

  /** Makes SQS's time follow a test's clock from now on (unchanged when it is the same clock). */
  @SuppressWarnings("ReferenceEquality") // the same clock instance, on purpose
  static void useClock(Clock clock) {
    BASE.updateAndGet(b -> b.clock() == clock ? b : new Base(clock, clock.millis()));
  }

  static String freshQueueName() {
    return "beckon-sqs-" + RUN + "-" + QUEUES.incrementAndGet();
  }

  private static SQSRestServer start() {
    NowProvider now = new TestNow();
    ActorRef manager =
        SYSTEM.actorOf(
            Props.create(
                QueueManagerActor.class,
                () -> new QueueManagerActor(now, StrictSQSLimits$.MODULE$, Option.empty())));
    SQSRestServer server =
        SQSRestServerBuilder.withActorSystem(SYSTEM)
            .withQueueManagerActor(manager)
            .withInterface("127.0.0.1")
            .withPort(PORT)
            .withServerAddress(new NodeAddress("http", "127.0.0.1", PORT, ""))
            .start();
    server.waitUntilStarted();
    return server;
  }

  private static int freePort() {
    try (ServerSocket s =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
