package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.spring.boot.BeckonHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@link BeckonHealth} as a Boot 3 health indicator. */
final class Boot3HealthIndicator implements HealthIndicator {

  private final BeckonHealth check;

  Boot3HealthIndicator(BeckonHealth check) {
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
