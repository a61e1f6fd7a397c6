package dev.beckon.ratelimit.bucket4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.StoreException;
import dev.beckon.testkit.TokenBucketsContract;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The token-bucket kit catches broken stores: each one below breaks one promise, and the kit's
 * tests of that promise fail. (The correct one passes: {@link InMemoryTokenBucketsContractTest}.)
 */
class TokenBucketsContractSelfTest {

  /** The in-memory buckets, wrapped or with a broken store. */
  abstract static class Broken extends TokenBucketsContract {
    private final Map<TokenBuckets, InMemoryStateStore> stores = new HashMap<>();

    InMemoryStateStore newStore() {
      return new InMemoryStateStore();
    }

    TokenBuckets wrap(TokenBuckets b) {
      return b;
    }

    private synchronized TokenBuckets over(InMemoryStateStore store) {
      TokenBuckets b = wrap(Bucket4jTokenBuckets.over(store, "Broken", "entry"));
      stores.put(b, store);
      return b;
    }

    @Override
    protected TokenBuckets createBuckets() {
      return over(newStore());
    }

    @Override
    protected synchronized TokenBuckets sameStore(TokenBuckets buckets) {
      return over(stores.get(buckets));
    }

    @Override
    protected synchronized Optional<byte[]> readState(TokenBuckets buckets, String name) {
      return stores.get(buckets).raw(name);
    }

    @Override
    protected synchronized void writeState(TokenBuckets buckets, String name, byte[] state) {
      stores.get(buckets).put(name, state);
    }

    @Override
    protected int randomStates() {
      return 20;
    }
  }

  /** Grants when the stored state cannot be read (fails open). */
  static class FailsOpen extends Broken {
    @Override
    TokenBuckets wrap(TokenBuckets b) {
      return new TokenBuckets() {
        @Override
        public long tryTake(String name, List<TokenBucket> limits) {
          try {
            return b.tryTake(name, limits);
          } catch (StoreException e) {
            return 0;
          }
        }

        @Override
        public void giveBack(String name, List<TokenBucket> limits) {
          b.giveBack(name, limits);
        }
      };
    }
  }

  /** Gives nothing back. */
  static class ForgetsGiveBack extends Broken {
    @Override
    TokenBuckets wrap(TokenBuckets b) {
      return new TokenBuckets() {
        @Override
        public long tryTake(String name, List<TokenBucket> limits) {
          return b.tryTake(name, limits);
        }

        @Override
        public void giveBack(String name, List<TokenBucket> limits) {}
      };
    }
  }

  /** Never deletes, so an unreadable bucket stays unreadable. */
  static class NeverDeletes extends Broken {
    @Override
    InMemoryStateStore newStore() {
      return new InMemoryStateStore() {
        @Override
        public void delete(String name) {}
      };
    }
  }

  /** Keeps each process's buckets to itself: another instance does not see them. */
  static class NotShared extends Broken {
    @Override
    protected synchronized TokenBuckets sameStore(TokenBuckets buckets) {
      return Bucket4jTokenBuckets.over(new InMemoryStateStore(), "NotShared", "entry");
    }
  }

  private final Set<String> failed = new HashSet<>();
  private final Set<String> passed = new HashSet<>();

  private void run(Class<?> kit) {
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
              return;
            }
            String method = id.getUniqueId().replaceAll(".*\\[method:([^(]+)\\(.*", "$1");
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              passed.add(method);
            } else {
              failed.add(method);
            }
          }
        });
  }

  @Test
  void grantingOnAnUnreadableStateFailsTheHostileStateTests() {
    run(FailsOpen.class);
    assertThat(failed)
        .contains(
            "garbage",
            "hugeCount",
            "foreignCapacity",
            "rich",
            "future",
            "oversized",
            "otherLimits");
    assertThat(passed).contains("capacityThenWait", "racing", "oneToken", "tightest");
  }

  @Test
  void forgettingTheGiveBackFailsTheGiveBackTests() {
    run(ForgetsGiveBack.class);
    assertThat(failed).contains("oneToken", "refusalTakesNothing", "twoProcessesShare");
    assertThat(passed).contains("capacityThenWait", "garbage", "tightest");
  }

  @Test
  void keepingAnUnreadableStateFailsTheHostileStateTests() {
    run(NeverDeletes.class);
    assertThat(failed).contains("garbage", "rich", "future", "oversized");
    assertThat(passed).contains("capacityThenWait", "oneToken");
  }

  @Test
  void bucketsThatAreNotSharedFailTheSharingTests() {
    run(NotShared.class);
    assertThat(failed).contains("twoProcessesShare", "racing");
    assertThat(passed).contains("capacityThenWait", "garbage");
  }
}
