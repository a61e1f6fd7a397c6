package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.store.spi.ForwardingReferenceRepository;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cancel while the listing waits for a send slot, or before it asks for one: the references not
 * sent yet end SKIPPED, none of them is sent after the cancel, and none waits for a slot that an
 * earlier send still holds. One slot ({@code unpaced(1)}), held by a first send that answers only
 * when the test says so.
 */
@Timeout(120)
class BroadcastCancelTest {

  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> skipped = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstSent = new CountDownLatch(1);
  private final CountDownLatch answerFirst = new CountDownLatch(1);

  private void fill(int n) {
    for (int i = 0; i < n; i++) {
      repo.save(
          ConversationReference.builder()
              .channelId("msteams")
              .serviceUrl("https://smba.trafficmanager.net/amer/")
              .conversation(ConversationAccount.builder("c" + i).build())
              .build());
    }
  }

  /** The first send holds the only slot until {@link #answerFirst}; any later one answers. */
  private FakeSender sender() {
    return new FakeSender(
        (ref, activity) -> {
          sent.add(ref.conversation().id());
          if (sent.size() == 1) {
            firstSent.countDown();
            try {
              answerFirst.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return FakeSender.delivered("a-" + ref.conversation().id());
        });
  }

  private BroadcastRun start(
      String id, dev.beckon.store.ReferenceRepository repository, int pageSize) {
    return Broadcast.builder(repository, sender())
        .id(id)
        .query(ListQuery.all().withPageSize(pageSize))
        .message(Activity.message("hello"))
        .profile(RateProfile.unpaced(1))
        .retry(BroadcastRunnerTest.QUICK)
        .listener(
            new BroadcastListener() {
              @Override
              public void onOutcome(BroadcastOutcome o) {
                if (o.kind() == BroadcastOutcome.Kind.SKIPPED) {
                  skipped.add(o.key().conversationId());
                }
              }
            })
        .progressInterval(Duration.ofMillis(200))
        .build()
        .start();
  }

  @Test
  void aReferenceThatGetsItsSlotAfterTheCancelIsSkippedNotSent() throws Exception {
    fill(3);
    BroadcastRun run = start("slot", repo, 10);
    assertThat(firstSent.await(60, TimeUnit.SECONDS)).isTrue();
    awaitListingWaitingForASlot("slot");
    run.cancel();
    answerFirst.countDown();
    BroadcastReport r = run.report().get(60, TimeUnit.SECONDS);
    assertThat(sent).hasSize(1);
    assertThat(r.delivered()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(skipped).hasSize(2).doesNotContainAnyElementsOf(sent);
  }

  @Test
  void whatIsListedAfterTheCancelIsSkippedWithoutWaitingForASlot() throws Exception {
    fill(3);
    AtomicInteger lists = new AtomicInteger();
    AtomicReference<BroadcastRun> run = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    // the second listing cancels, once the first page's send holds the only slot
    ForwardingReferenceRepository cancelsOnTheSecondPage =
        new ForwardingReferenceRepository(repo) {
          @Override
          public Page list(ListQuery q) {
            if (lists.incrementAndGet() == 2) {
              try {
                assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(firstSent.await(60, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              run.get().cancel();
            }
            return super.list(q);
          }
        };
    run.set(start("listed", cancelsOnTheSecondPage, 1));
    started.countDown();
    // the second page's reference ends while the first send still holds the slot (it answers
    // only once the test says so, below)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (skipped.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(skipped).as("skipped while the first send still holds the slot").hasSize(1);
    answerFirst.countDown();
    BroadcastReport r = run.get().report().get(60, TimeUnit.SECONDS);
    assertThat(sent).hasSize(1);
    assertThat(r.listed()).isEqualTo(2);
    assertThat(r.delivered()).isEqualTo(1);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.cancelled()).isTrue();
  }

  /** Until the broadcast's listing thread is parked in {@code Semaphore.acquire}. */
  private static void awaitListingWaitingForASlot(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (var e : Thread.getAllStackTraces().entrySet()) {
        boolean listing = e.getKey().getName().startsWith("beckon-broadcast-list-" + id + "-");
        boolean acquiring =
            Arrays.stream(e.getValue())
                .anyMatch(
                    f ->
                        f.getClassName().equals("java.util.concurrent.Semaphore")
                            && f.getMethodName().startsWith("acquire"));
        if (listing && acquiring && e.getKey().getState() == Thread.State.WAITING) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the listing never waited for a slot");
  }
}
