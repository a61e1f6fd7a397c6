package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.spring.boot.BeckonHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link BeckonHealth} as a Boot 4 health indicator. */
final class Boot4HealthIndicator implements HealthIndicator {

  private final BeckonHealth check;

  Boot4HealthIndicator(BeckonHealth check) {
    this.check = check;
  }

  @Override
  public Health health() {
    BeckonHealth.Report r = check.check();
    Health.Builder b = r.up() ? Health.up() : Health.down();
    r.details().forEach(b::withDetail);
    return b.build();
  }
}
