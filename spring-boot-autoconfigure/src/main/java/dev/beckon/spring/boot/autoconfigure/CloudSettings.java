package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.Cloud;
import dev.beckon.auth.TrustPolicy;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code beckon.cloud} as core's {@link Cloud}: one value for the token authority and scope, the
 * trusted service hosts and the inbound issuer and keys, as {@code AuthenticationConfig.forCloud}
 * and {@code ClientCredentials.Builder.cloud} take it.
 */
final class CloudSettings {

  /** {@code beckon.cloud=custom}: the application's own {@link Cloud} bean. */
  static final String CUSTOM = "CUSTOM";

  private CloudSettings() {}

  /**
   * The preset {@code beckon.cloud} names. Case, dashes and underscores are forgiven ({@code
   * us-gov}, {@code US_GOV}, {@code usgov}), and the CLI's aliases are accepted ({@code gcc-high},
   * {@code dod}).
   *
   * @param name the property's value
   * @param yours the application's {@link Cloud} bean, if any: it wins over the property
   * @return the cloud
   * @throws IllegalStateException naming the property and the accepted values, for an unknown name
   *     or {@code custom} without a {@link Cloud} bean
   */
  static Cloud of(String name, @Nullable Cloud yours) {
    if (yours != null) {
      return yours;
    }
    String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    return switch (n) {
      case "PUBLIC", "AZURE", "AZURE_PUBLIC" -> Cloud.PUBLIC;
      case "US_GOV", "USGOV", "US_GOVERNMENT", "GCC_HIGH" -> Cloud.US_GOV;
      case "US_DOD", "USDOD", "DOD" -> Cloud.US_DOD;
      case "CHINA", "AZURE_CHINA" -> Cloud.CHINA;
      case CUSTOM ->
          throw new IllegalStateException(
              "beckon.cloud=custom needs a dev.beckon.auth.Cloud bean in the application context");
      default ->
          throw new IllegalStateException(
              "beckon.cloud must be one of [PUBLIC, US_GOV, US_DOD, CHINA, CUSTOM] (is not a known "
                  + "cloud)");
    };
  }

  /**
   * The cloud's trusted hosts plus {@code beckon.trusted-hosts}.
   *
   * @param cloud the cloud
   * @param extraHosts the property's hosts or {@code *.suffix} patterns
   * @return the policy
   */
  static TrustPolicy trustPolicy(Cloud cloud, List<String> extraHosts) {
    TrustPolicy p = cloud.trustPolicy();
    for (String host : extraHosts) {
      p = p.withTrustedHost(host);
    }
    return p;
  }
}
