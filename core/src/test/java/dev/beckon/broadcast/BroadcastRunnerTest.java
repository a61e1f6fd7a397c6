package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.Segment;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.store.spi.ForwardingReferenceRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's accounting, retries, cancellation, resume and segments, with an in-process dispatch
 * whose answers depend only on the conversation id (the HTTP path is covered by the broadcast tests
 * against the FakeConnector).
 */
@Timeout(120)
class BroadcastRunnerTest {

  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
  private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();

  private void fill(int n) {
    for (int i = 0; i < n; i++) {
      repo.save(
          new ConversationReference(
              null,
              ChannelAccount.of("u" + i, null),
              ChannelAccount.of("b", null),
              ConversationAccount.of("c" + i),
              "msteams",
              null,
              "https://smba.trafficmanager.net/x/",
              Map.of()));
    }
  }

  /**
   * c%10==3: throttled on first attempt; c%10==5: gone; c%10==7: fails for good; else delivered.
   */
  private Sender scripted() {
    return new FakeSender(
        (ref, activity) -> {
          String id = ref.conversation().id();
          int n = sends.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          int tag = Integer.parseInt(id.substring(1)) % 10;
          if (tag == 3 && n == 1) {
            return FakeSender.throttled(Duration.ofMillis(10));
          } else if (tag == 5) {
            return FakeSender.failed(
                SendOutcome.Kind.CONVERSATION_GONE, 403, "ConversationBlockedByUser");
          } else if (tag == 7) {
            return FakeSender.failed(SendOutcome.Kind.REJECTED, 400, "BadArgument");
          }
          return FakeSender.delivered("a-" + id);
        });
  }

  static final RetryStrategy QUICK =
      RetryStrategy.builder()
          .maxAttempts(3)
          .backoff(Backoff.fixed(Duration.ofMillis(10)))
          .throttlingBackoff(Backoff.fixed(Duration.ofMillis(10)))
          .maxRetryAfter(Duration.ofSeconds(1))
          .build();

  private Broadcast config(
      String id, BroadcastCheckpoints cp, BroadcastListener l, boolean remove) {
    return config(id, repo, cp, l, remove);
  }

  private static Broadcast config(
      String id,
      ReferenceRepository repository,
      BroadcastCheckpoints cp,
      BroadcastListener l,
      boolean remove) {
    return Broadcast.builder(repository, new FakeSender((r, a) -> FakeSender.delivered("x")))
        .id(id)
        .query(ListQuery.all().withPageSize(50))
        .message(Activity.message("hello"))
        .profile(RateProfile.unpaced(16))
        .retry(QUICK)
        .removeGone(remove)
        .checkpoints(cp)
        .listener(l)
        .notDeliveredCap(100)
        .progressInterval(Duration.ofMillis(200))
        .build();
  }

  @Test
  void everyReferenceIsAccountedForOnce() throws Exception {
    fill(1000);
    List<BroadcastOutcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    BroadcastListener l =
        new BroadcastListener() {
          @Override
          public void onOutcome(BroadcastOutcome o) {
            outcomes.add(o);
          }
        };
    BroadcastReport r =
        new BroadcastRunner(config("b1", Checkpoints.inMemory(), l, true), scripted(), null)
            .start()
            .get(60, TimeUnit.SECONDS);
    assertThat(r.listed()).isEqualTo(1000);
    assertThat(r.delivered()).isEqualTo(800);
    assertThat(r.gone()).isEqualTo(100);
    assertThat(r.removed()).isEqualTo(100);
    assertThat(r.failed()).isEqualTo(100);
    assertThat(r.skipped()).isZero();
    assertThat(outcomes).hasSize(1000);
    assertThat(outcomes.stream().map(BroadcastOutcome::key).distinct().count()).isEqualTo(1000);
    assertThat(repo.size()).isEqualTo(900);
    // throttled ones were retried once, nobody else was sent twice
    sends.forEach((id, n) -> assertThat(n.get()).as(id).isEqualTo(id.endsWith("3") ? 2 : 1));
  }

  @Test
  void cancelledRunResumesWithoutResending(@TempDir Path dir) throws Exception {
    fill(600);
    BroadcastCheckpoints cp = Checkpoints.directory(dir);
    AtomicInteger seen = new AtomicInteger();
    BroadcastRunner[] first = new BroadcastRunner[1];
    BroadcastListener cancelAt60 =
        new BroadcastListener() {
          @Override
          public void onOutcome(BroadcastOutcome o) {
            if (seen.incrementAndGet() == 360) {
              first[0].cancel();
            }
          }
        };
    first[0] = new BroadcastRunner(config("resume", cp, cancelAt60, false), scripted(), null);
    BroadcastReport r1 = first[0].start().get(60, TimeUnit.SECONDS);
    assertThat(r1.cancelled()).isTrue();
    assertThat(r1.listed()).isEqualTo(r1.delivered() + r1.gone() + r1.failed() + r1.skipped());
    cp.close();
    BroadcastCheckpoints reopened = Checkpoints.directory(dir);
    BroadcastReport r2 =
        new BroadcastRunner(
                config("resume", reopened, new BroadcastListener() {}, false), scripted(), null)
            .start()
            .get(60, TimeUnit.SECONDS);
    assertThat(r1.delivered() + r2.delivered()).isEqualTo(480);
    sends.forEach(
        (id, n) -> assertThat(n.get()).as("sends to %s", id).isEqualTo(id.endsWith("3") ? 2 : 1));
    assertThat(sends).hasSize(600);
    // a third run finds the broadcast finished
    BroadcastReport r3 =
        new BroadcastRunner(
                config("resume", reopened, new BroadcastListener() {}, false), scripted(), null)
            .start()
            .get(60, TimeUnit.SECONDS);
    assertThat(r3.listed()).isZero();
  }

  @Test
  void fourSegmentWorkersSendEachReferenceExactlyOnce() throws Exception {
    fill(1000);
    List<CompletableFuture<BroadcastReport>> runs = new ArrayList<>();
    BroadcastCheckpoints cp = Checkpoints.inMemory();
    for (int i = 0; i < 4; i++) {
      runs.add(
          new BroadcastRunner(
                  config("seg", cp, new BroadcastListener() {}, false),
                  scripted(),
                  Segment.of(i, 4))
              .start());
    }
    long listed = 0;
    for (CompletableFuture<BroadcastReport> f : runs) {
      listed += f.get(60, TimeUnit.SECONDS).listed();
    }
    assertThat(listed).isEqualTo(1000);
    assertThat(sends).hasSize(1000);
    sends.forEach((id, n) -> assertThat(n.get()).as(id).isEqualTo(id.endsWith("3") ? 2 : 1));
  }

  @Test
  void theBroadcastRetriesTeamsDocumentedStatusesOnlyNever500() throws Exception {
    // the broadcast used to retry every FAILED but 500 (so 501, 505 too) and never a 412
    fill(60);
    int[] statuses = {500, 501, 505, 412, 502, 503, 504, 429, 400, 409};
    BroadcastReport r =
        new BroadcastRunner(
                config("statuses", Checkpoints.inMemory(), new BroadcastListener() {}, false),
                new FakeSender(
                    (ref, activity) -> {
                      String id = ref.conversation().id();
                      int n = sends.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                      int status = statuses[Integer.parseInt(id.substring(1)) % statuses.length];
                      if (n > 1) {
                        return FakeSender.delivered("a-" + id);
                      }
                      return status == 429
                          ? FakeSender.throttled(Duration.ZERO)
                          : FakeSender.failed(
                              status < 500 ? SendOutcome.Kind.REJECTED : SendOutcome.Kind.FAILED,
                              status,
                              Integer.toString(status));
                    }),
                null)
            .start()
            .get(60, TimeUnit.SECONDS);
    assertThat(r.delivered()).isEqualTo(30); // 412, 502, 503, 504, 429: retried once, delivered
    assertThat(r.failed()).isEqualTo(30);
    sends.forEach(
        (id, n) -> {
          int status = statuses[Integer.parseInt(id.substring(1)) % statuses.length];
          boolean retried = dev.beckon.retry.RetryCause.ofStatus(status) != null;
          assertThat(n.get()).as("%s (HTTP %d)", id, status).isEqualTo(retried ? 2 : 1);
        });
  }

  @Test
  void aBroadcastSendsThroughTheSendersNoRetryView() throws Exception {
    fill(10);
    AtomicInteger views = new AtomicInteger();
    Sender retrying =
        new FakeSender(
            (ref, activity) -> FakeSender.failed(SendOutcome.Kind.FAILED, 500, "WrongPath")) {
          @Override
          public Sender withoutRetries() {
            views.incrementAndGet();
            return new FakeSender((ref, activity) -> FakeSender.delivered("once"));
          }
        };
    BroadcastReport r =
        Broadcast.builder(repo, retrying)
            .id("view")
            .message(Activity.message("hello"))
            .profile(RateProfile.unpaced(4))
            .build()
            .start()
            .join();
    assertThat(r.delivered()).isEqualTo(10);
    assertThat(views).hasValue(1);
  }

  /** The in-memory store, plus unreadable rows reported on the first page of every listing. */
  private static ReferenceRepository withUnreadableRows(
      InMemoryReferenceRepository d, List<UnreadableReference> rows) {
    return new ForwardingReferenceRepository(d) {
      @Override
      public Page list(ListQuery q) {
        Page p = super.list(q);
        return q.cursor() == null ? new Page(p.items(), p.next(), rows) : p;
      }
    };
  }

  @Test
  void unreadableRowsAreCountedAsFailedWithTheReasonAndNeverSent() throws Exception {
    fill(120);
    ReferenceKey known = ReferenceKey.of("msteams", "broken");
    List<UnreadableReference> rows =
        List.of(
            new UnreadableReference(known.hash(), known, "not valid JSON"),
            new UnreadableReference("ab".repeat(32), null, "not valid JSON either"));
    List<BroadcastOutcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    Broadcast c =
        config(
            "u",
            withUnreadableRows(repo, rows),
            Checkpoints.inMemory(),
            new BroadcastListener() {
              @Override
              public void onOutcome(BroadcastOutcome o) {
                outcomes.add(o);
              }
            },
            false);
    BroadcastReport r = new BroadcastRunner(c, scripted(), null).start().get(60, TimeUnit.SECONDS);
    assertThat(r.listed()).isEqualTo(122);
    assertThat(r.failed()).isEqualTo(12 + 2); // c%10==7 fail for good, plus the two unreadable rows
    assertThat(sends).hasSize(120);
    BroadcastOutcome broken =
        outcomes.stream().filter(o -> o.key().equals(known)).findFirst().orElseThrow();
    assertThat(broken.kind()).isEqualTo(BroadcastOutcome.Kind.FAILED);
    assertThat(broken.reason()).isEqualTo("stored reference unreadable: not valid JSON");
    assertThat(r.notDelivered()).contains(broken);
    // the row without a readable key is counted, but has no outcome to report
    assertThat(outcomes).hasSize(121);
  }
}
