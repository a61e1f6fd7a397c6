package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.inbound.AuthenticationConfig;
import java.util.List;
import java.util.Locale;

/**
 * What {@code beckon.cloud} chooses, until core's {@code Cloud} value replaces this mapping: the
 * trusted hosts, the inbound validation and the client-credentials authority and scope of one
 * cloud.
 */
enum CloudSettings {
  PUBLIC,
  US_GOV,
  US_DOD,
  CHINA;

  /**
   * Parses {@code beckon.cloud}: case and dashes are forgiven ({@code us-gov}, {@code usgov}).
   *
   * @throws IllegalStateException naming the property and the accepted values
   */
  static CloudSettings of(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "PUBLIC", "AZURE", "AZURE_PUBLIC" -> {
        return PUBLIC;
      }
      case "US_GOV", "USGOV", "US_GOVERNMENT", "GCC_HIGH" -> {
        return US_GOV;
      }
      case "US_DOD", "USDOD", "DOD" -> {
        return US_DOD;
      }
      case "CHINA", "AZURE_CHINA" -> {
        return CHINA;
      }
      default ->
          throw new IllegalStateException(
              "beckon.cloud must be one of " + List.of(values()) + " (is not a known cloud)");
    }
  }

  TrustPolicy trustPolicy(List<String> extraHosts) {
    TrustPolicy p =
        switch (this) {
          case PUBLIC -> TrustPolicy.publicCloud();
          case US_GOV, US_DOD -> TrustPolicy.usGovernment();
          case CHINA -> TrustPolicy.china();
        };
    for (String host : extraHosts) {
      p = p.withTrustedHost(host);
    }
    return p;
  }

  AuthenticationConfig inbound(String appId) {
    return switch (this) {
      case PUBLIC -> AuthenticationConfig.publicCloud(appId);
      case US_GOV, US_DOD -> AuthenticationConfig.usGovernment(appId);
      case CHINA ->
          throw new IllegalStateException(
              "beckon.cloud=CHINA: define an AuthenticationConfig bean for inbound validation "
                  + "(this version has no preset for Azure operated by 21Vianet)");
    };
  }

  ClientCredentials.Builder credentials(ClientCredentials.Builder b) {
    return switch (this) {
      case PUBLIC -> b;
      case US_GOV, US_DOD -> b.usGovernment();
      case CHINA ->
          throw new IllegalStateException(
              "beckon.cloud=CHINA: define a TokenProvider bean (this version has no "
                  + "client-credentials preset for Azure operated by 21Vianet)");
    };
  }
}
