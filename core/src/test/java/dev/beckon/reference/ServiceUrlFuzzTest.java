package dev.beckon.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.auth.TrustPolicy;
import java.net.URI;
import java.util.Locale;

/**
 * Fuzzes the one serviceUrl rule. {@code mvn verify} replays the committed seeds under {@code
 * ServiceUrlFuzzTestInputs/parse/}; {@code JAZZER_FUZZ=1 mvn -pl core test
 * -Dtest=ServiceUrlFuzzTest#parse} fuzzes for real.
 *
 * <p>For every input: {@link ServiceUrl#parse} either refuses with an {@link
 * IllegalArgumentException} or returns an endpoint whose canonical form is a fixed point, which
 * {@link URI} — what the HTTP client connects with — reads as the same host, port and path with no
 * user info, query or fragment; the {@link TrustPolicy} never throws, and trusts only hosts on its
 * list; loopback is only ever a loopback literal.
 */
class ServiceUrlFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parse(FuzzedDataProvider data) {
    String input = data.consumeRemainingAsString();
    String refusal = TrustPolicy.publicCloud().refusal(input, false);
    String anonymousRefusal = TrustPolicy.publicCloud().refusal(input, true);
    ServiceUrl url;
    try {
      url = ServiceUrl.parse(input);
    } catch (IllegalArgumentException refused) {
      assertThat(refusal).isNotNull();
      assertThat(anonymousRefusal).isNotNull();
      return;
    }
    String canonical = url.toString();
    assertThat(ServiceUrl.parse(canonical)).isEqualTo(url);
    assertThat(canonical).doesNotContain("?", "#", " ").matches("\\p{ASCII}+");
    assertThat(url.path()).doesNotContain("//").doesNotEndWith("/");
    assertThat(canonical.substring(0, canonical.length() - url.path().length()))
        .doesNotContain("@");
    URI uri = URI.create(canonical + "/v3/conversations");
    assertThat(uri.getRawUserInfo()).isNull();
    assertThat(uri.getRawQuery()).isNull();
    assertThat(uri.getRawFragment()).isNull();
    assertThat(uri.getHost()).isNotNull();
    assertThat(uri.getHost().toLowerCase(Locale.ROOT)).isEqualTo(url.host());
    assertThat(uri.getPort()).isEqualTo(url.port());
    assertThat(uri.getRawPath()).isEqualTo(url.path() + "/v3/conversations");
    if (url.isLoopback()) {
      assertThat(url.host()).matches("localhost|127\\.[0-9.]+|\\[[0-9a-f:]+\\]");
    } else {
      assertThat(url.scheme()).isEqualTo("https");
    }
    if (refusal == null) {
      String h = url.host();
      assertThat(
              h.equals("smba.trafficmanager.net")
                  || h.equals("botframework.com")
                  || h.endsWith(".botframework.com")
                  || h.equals("teams.microsoft.com")
                  || h.endsWith(".teams.microsoft.com"))
          .as(h)
          .isTrue();
    }
  }
}
