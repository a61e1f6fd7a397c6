package dev.beckon.internal.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastCheckpoints;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.BroadcastRun;
import dev.beckon.broadcast.Checkpoints;
import dev.beckon.broadcast.FakeSender;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoreException;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File checkpoints: a last line torn by a crash is ignored; any other bad line is a clear error.
 */
@Timeout(300)
class FileCheckpointsTest {

  private static final String H1 = ReferenceKey.of("msteams", "a").hash();
  private static final String H2 = ReferenceKey.of("msteams", "b").hash();

  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();

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

  /** Delivers everything, once {@code go} is open. */
  private static Sender delivered(CountDownLatch go) {
    return new FakeSender(
        (ref, activity) -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return FakeSender.delivered("a-" + ref.conversation().id());
        });
  }

  private Broadcast config(BroadcastCheckpoints cp, BroadcastListener l, Sender sender) {
    return Broadcast.builder(repo, sender)
        .id("torn")
        .query(ListQuery.all().withPageSize(25))
        .message(Activity.message("hello"))
        .profile(RateProfile.unpaced(8))
        .checkpoints(cp)
        .listener(l)
        .notDeliveredCap(100)
        .progressInterval(Duration.ofMillis(200))
        .build();
  }

  @Test
  void aTornLastLineAtEveryByteOffsetResumesWithEveryReferenceAccountedOnce(@TempDir Path dir)
      throws Exception {
    fill(300);
    Path first = dir.resolve("first");
    BroadcastCheckpoints cp = Checkpoints.directory(first);
    AtomicInteger seen = new AtomicInteger();
    BroadcastRun[] run = new BroadcastRun[1];
    CountDownLatch assigned = new CountDownLatch(1);
    run[0] =
        config(
                cp,
                new BroadcastListener() {
                  @Override
                  public void onOutcome(BroadcastOutcome o) {
                    if (seen.incrementAndGet() == 170) {
                      run[0].cancel();
                    }
                  }
                },
                delivered(assigned))
            .start();
    assigned.countDown(); // no outcome (and so no cancel) before run[0] is set
    run[0].report().get(60, TimeUnit.SECONDS);
    cp.close();
    byte[] file = Files.readAllBytes(first.resolve("torn.all.checkpoint"));
    Set<String> all =
        repo.stream(ListQuery.all()).map(s -> s.key().hash()).collect(Collectors.toSet());

    List<Integer> cuts = new ArrayList<>();
    for (String kind : List.of("D ", "C ")) {
      int start = lastLineStarting(file, kind);
      assertThat(start).as("the first run wrote a %sline", kind).isGreaterThanOrEqualTo(0);
      int end = start;
      while (file[end] != '\n') {
        end++;
      }
      for (int cut = start + 1; cut <= end; cut++) {
        cuts.add(cut); // the line's bytes up to, never including, its newline
      }
    }
    int resumes = 0;
    for (int cut : cuts) {
      byte[] prefix = Arrays.copyOf(file, cut);
      Path d = dir.resolve("cut-" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve("torn.all.checkpoint"), prefix);
      Set<String> durable = durablyDone(prefix);
      List<String> resent = java.util.Collections.synchronizedList(new ArrayList<>());
      BroadcastCheckpoints reopened = Checkpoints.directory(d);
      BroadcastReport r =
          config(
                  reopened,
                  new BroadcastListener() {
                    @Override
                    public void onOutcome(BroadcastOutcome o) {
                      resent.add(o.key().hash());
                    }
                  },
                  delivered(new CountDownLatch(0)))
              .start()
              .report()
              .get(60, TimeUnit.SECONDS);
      reopened.close();
      assertThat(r.skipped()).as("cut at %d", cut).isZero();
      assertThat(resent)
          .as("cut at %d: sent twice in the resumed run", cut)
          .doesNotHaveDuplicates();
      assertThat(resent)
          .as("cut at %d: finished before the crash and sent again", cut)
          .doesNotContainAnyElementsOf(durable);
      Set<String> accounted = new HashSet<>(durable);
      accounted.addAll(resent);
      assertThat(accounted).as("cut at %d: every reference accounted for", cut).isEqualTo(all);
      assertThat(r.listed()).as("cut at %d", cut).isEqualTo(r.alreadyDone() + resent.size());
      // the torn tail was cut: what the resumed run appended reads back, and the broadcast is
      // finished
      assertThat(Checkpoints.directory(d).load("torn", "all").finished())
          .as("cut at %d", cut)
          .isTrue();
      resumes++;
    }
    assertThat(resumes).isGreaterThan(60);
  }

  private static int lastLineStarting(byte[] file, String kind) {
    String text = new String(file, StandardCharsets.UTF_8);
    int at = text.lastIndexOf("\n" + kind);
    return at < 0 ? -1 : text.substring(0, at + 1).getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The key hashes of the whole D lines of a file prefix: the outcomes a crash at that point kept.
   */
  private static Set<String> durablyDone(byte[] prefix) {
    String text = new String(prefix, StandardCharsets.UTF_8);
    String whole = text.substring(0, text.lastIndexOf('\n') + 1);
    return whole
        .lines()
        .filter(l -> l.startsWith("D "))
        .map(l -> l.split(" ", -1)[2])
        .collect(Collectors.toSet());
  }

  @Test
  void theTornLinesOfTheIssueAreIgnored(@TempDir Path dir) throws Exception {
    for (String torn : List.of("D 3", "C 3", "D", "F", "D 3 " + H2.substring(0, 10), "C 3 abc")) {
      Path f = dir.resolve("b.all.checkpoint");
      Files.writeString(f, "D 0 " + H1 + "\nC 0 cursor-0\nD 1 " + H1 + "\n" + torn);
      BroadcastCheckpoints cp = Checkpoints.directory(dir);
      BroadcastCheckpoints.Resume r = cp.load("b", "all");
      assertThat(r.cursor()).as(torn).isEqualTo("cursor-0");
      assertThat(r.nextPage()).as(torn).isEqualTo(1);
      assertThat(r.finishedKeyHashes()).as(torn).containsExactly(H1);
      assertThat(Files.readString(f)).as("torn tail cut").endsWith(H1 + "\n");
      cp.close();
    }
  }

  @Test
  void aRecordAppendedAfterATornLineStartsOnItsOwnLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.all.checkpoint");
    Files.writeString(f, "D 0 " + H1 + "\nD 0 " + H2.substring(0, 30));
    BroadcastCheckpoints cp = Checkpoints.directory(dir);
    assertThat(cp.load("b", "all").finishedKeyHashes()).containsExactly(H1);
    cp.recordOutcome(
        "b",
        "all",
        0,
        new BroadcastOutcome(
            ReferenceKey.of("msteams", "b"),
            BroadcastOutcome.Kind.DELIVERED,
            "x",
            null,
            null,
            false));
    cp.close();
    assertThat(Checkpoints.directory(dir).load("b", "all").finishedKeyHashes())
        .containsExactlyInAnyOrder(H1, H2);
  }

  @Test
  void aCorruptLineInTheMiddleNamesTheFileAndTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.all.checkpoint");
    List<String> bad =
        List.of(
            "D 3",
            "C 3",
            "F",
            "F x",
            "D x " + H1,
            "D -1 " + H1,
            "D 1 nothex",
            "D 1 " + H1 + " extra",
            "C 1 ",
            "X 1 y",
            "",
            "D 99999999999999999999 " + H1,
            "F 1 2");
    for (String line : bad) {
      Files.writeString(f, "D 0 " + H1 + "\n" + line + "\nF 1\n");
      assertThatThrownBy(() -> Checkpoints.directory(dir).load("b", "all"))
          .as("line '%s'", line)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("line 2");
    }
    Files.write(f, ("D 0 " + H1 + "\nC 0 \u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Checkpoints.directory(dir).load("b", "all"))
        .as("not UTF-8")
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void anEmptyOrWholeFileLoads(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.all.checkpoint");
    Files.writeString(f, "");
    assertThat(Checkpoints.directory(dir).load("b", "all").nextPage()).isZero();
    Files.writeString(f, "D 0 " + H1 + "\nC 0 c\nD 1 " + H2 + "\nF 1\n");
    BroadcastCheckpoints.Resume r = Checkpoints.directory(dir).load("b", "all");
    assertThat(r.finished()).isTrue();
    assertThat(r.finishedKeyHashes()).isEmpty();
    assertThat(Files.readString(f)).endsWith("F 1\n");
  }
}
