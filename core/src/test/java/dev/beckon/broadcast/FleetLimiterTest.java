package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SendLimiter#fleet}: bucket names, order, and tokens given back on a later refusal. */
class FleetLimiterTest {

  /** Buckets that only count tokens (no refill): enough to check what the limiter takes. */
  private static final class CountingBuckets implements TokenBuckets {
    final Map<String, Long> left = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized long tryTake(String name, List<TokenBucket> limits) {
      calls.add("take " + name.substring(name.indexOf(':') + 1, name.indexOf(':') + 2));
      long have = left.computeIfAbsent(name, n -> limits.get(0).capacity());
      if (have <= 0) {
        return 1_000_000L;
      }
      left.put(name, have - 1);
      return 0;
    }

    @Override
    public synchronized void giveBack(String name, List<TokenBucket> limits) {
      calls.add("back " + name.substring(name.indexOf(':') + 1, name.indexOf(':') + 2));
      left.merge(name, 1L, Long::sum);
    }
  }

  private final RateProfile profile =
      new RateProfile(
          RateLimit.of(100, Duration.ofSeconds(1)),
          RateLimit.of(20, Duration.ofSeconds(1)),
          List.of(RateLimit.of(10, Duration.ofSeconds(1))),
          16);

  @Test
  void takesConversationThenTenantThenGlobalAndGivesBackOnARefusal() {
    CountingBuckets b = new CountingBuckets();
    SendLimiter l = SendLimiter.fleet(b, "bot", profile, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "19:c@thread.v2");
    assertThat(l.tryAcquire(c, "t1")).isZero();
    assertThat(b.calls).containsExactly("take c", "take t", "take g");
    // the tenant bucket has capacity 2 (20 / 10): one more, then refused
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "other"), "t1")).isZero();
    b.calls.clear();
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "third"), "t1")).isPositive();
    assertThat(b.calls).containsExactly("take c", "take t", "back c");
    assertThat(b.left.keySet())
        .allSatisfy(k -> assertThat(k).matches("bot:(c:[0-9a-f]{64}|t:[0-9a-f]{64}|g)"));
  }

  @Test
  void tenantIdsAreHashedAndANullTenantIsOneMoreTenant() {
    CountingBuckets b = new CountingBuckets();
    SendLimiter l = SendLimiter.fleet(b, "bot", profile.withGlobal(null), 0.1);
    l.tryAcquire(ReferenceKey.of("msteams", "c1"), "x".repeat(10_000));
    l.tryAcquire(ReferenceKey.of("msteams", "c2"), null);
    l.tryAcquire(ReferenceKey.of("msteams", "c3"), "");
    assertThat(b.left.keySet()).allSatisfy(k -> assertThat(k.length()).isLessThanOrEqualTo(80));
    assertThat(b.left).hasSize(6); // three conversations, three tenants ("" is not null)
  }

  @Test
  void badPrefixesAreRefused() {
    CountingBuckets b = new CountingBuckets();
    for (String p : List.of("", "a:b", "x".repeat(13), "é")) {
      assertThatThrownBy(() -> SendLimiter.fleet(b, p, profile, 0.1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
