package dev.beckon.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.auth.TrustPolicy;
import dev.beckon.codec.Capture;
import dev.beckon.codec.CompactReference;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.codec.ResumptionCookies;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one serviceUrl rule ({@link ServiceUrl}) and every decoding path that applies it: what is
 * refused is refused by the constructor, capture, {@code ReferenceJson}, {@code ResumptionCookies}
 * and {@code CompactReference} alike, naming {@code serviceUrl}.
 */
class ServiceUrlTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(
            "https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer"),
        Arguments.of(
            "https://smba.trafficmanager.net/teams", "https://smba.trafficmanager.net/teams"),
        Arguments.of(
            "https://SMBA.TrafficManager.NET/amer/", "https://smba.trafficmanager.net/amer"),
        Arguments.of(
            "HTTPS://europe.webchat.botframework.com/", "https://europe.webchat.botframework.com"),
        Arguments.of(
            "https://smba.trafficmanager.net:443/amer//", "https://smba.trafficmanager.net/amer"),
        Arguments.of("https://connector.example:8443", "https://connector.example:8443"),
        Arguments.of("http://localhost:52673", "http://localhost:52673"),
        Arguments.of("http://LOCALHOST:3978/", "http://localhost:3978"),
        Arguments.of("http://127.0.0.1:3981/emea/", "http://127.0.0.1:3981/emea"),
        Arguments.of("http://127.255.0.9/", "http://127.255.0.9"),
        Arguments.of("http://[::1]:8080/x", "http://[::1]:8080/x"),
        Arguments.of("https://bücher.example/a%20b/", "https://xn--bcher-kva.example/a%20b"),
        Arguments.of(
            "https://smba.traffıcmanager.net/amer/",
            "https://smba.xn--traffcmanager-79b.net/amer"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("accepted")
  void acceptedUrlsHaveAnAsciiCanonicalForm(String value, String canonical) {
    ServiceUrl url = ServiceUrl.parse(value);
    assertThat(url.toString()).isEqualTo(canonical);
    assertThat(ServiceUrl.parse(url.toString())).isEqualTo(url);
    assertThat(url.host()).matches("[a-z0-9.\\-\\[\\]:]+");
    assertThat(ServiceUrl.problem(value)).isNull();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        named("query", "https://smba.trafficmanager.net/amer/?x=1", "query"),
        named("empty query", "https://smba.trafficmanager.net/amer/?", "query"),
        named("fragment", "https://smba.trafficmanager.net/amer/#frag", "fragment"),
        named("empty fragment", "https://smba.trafficmanager.net/amer/#", "fragment"),
        named("user info", "https://user:secret-pw@smba.trafficmanager.net/amer/", "user info"),
        named(
            "user info at an attacker",
            "https://smba.trafficmanager.net@attacker.example/",
            "user info"),
        named("http to a DNS host", "http://smba.trafficmanager.net/amer/", "https"),
        named("http to 127.evil.example", "http://127.evil.example/", "https"),
        named("http to 127.0.0.1.nip.io", "http://127.0.0.1.nip.io/", "https"),
        named("http to localhost.evil.com", "http://localhost.evil.com/", "https"),
        named("http to 0x7f.1", "http://0x7f.1/", "https"),
        named("http to 2130706433", "http://2130706433/", "host"),
        named("http to 127.1", "http://127.1/", "host"),
        named("empty path segment (fuzz find)", "https://u//u:p@smba.trafficmanager.net/", "'//'"),
        named("numeric last label (fuzz find)", "https://smbawet.1", "last label"),
        named("http to octal 0177.0.0.1", "http://0177.0.0.1/", "https"),
        named("http to 127.0.0.01", "http://127.0.0.01/", "https"),
        named("http to IPv4-mapped ::ffff:127.0.0.1", "http://[::ffff:127.0.0.1]/", "https"),
        named("http to 10.0.0.1", "http://10.0.0.1/", "https"),
        named("trailing-dot host", "https://smba.trafficmanager.net./amer/", "'.'"),
        named("long s folds to s", "https://\u017Fmba.trafficmanager.net/amer/", "normalisation"),
        named("full-width letters fold", "https://\uFF53mba.trafficmanager.net/", "normalisation"),
        named("Kelvin sign folds to k", "https://\u212Aey.botframework.com/", "normalisation"),
        named(
            "zero-width space vanishes", "https://smba\u200B.trafficmanager.net/", "normalisation"),
        named("underscore host", "https://under_score.example/", "host"),
        named("percent-encoded host", "https://smba%2Etrafficmanager.net/", "host"),
        named("empty label", "https://smba..trafficmanager.net/", "host"),
        named("no host", "https:///amer/", "host"),
        named("opaque", "https:smba.trafficmanager.net", "absolute"),
        named("relative", "/amer/", "absolute"),
        named("ftp", "ftp://smba.trafficmanager.net/", "absolute"),
        named("javascript", "javascript:alert(1)", "absolute"),
        named("port 0", "https://x.example:0/", "port"),
        named("port 99999", "https://x.example:99999/", "port"),
        named("empty port", "https://x.example:/", "port"),
        named("leading space", " https://smba.trafficmanager.net/", "whitespace"),
        named("trailing newline", "https://smba.trafficmanager.net/\n", "whitespace"),
        named("no-break space", "https://smba.trafficmanager.net/\u00A0", "whitespace"),
        named("non-ASCII path", "https://smba.trafficmanager.net/\u00e9/", "ASCII"),
        named("backslash", "https://attacker.example\\@smba.trafficmanager.net/", "valid URL"),
        named("too long", "https://x.example/" + "a".repeat(ServiceUrl.MAX_LENGTH), "limit"),
        named("blank", "  ", "blank"));
  }

  private static Arguments named(String name, String value, String reason) {
    return Arguments.of(Named.of(name, value), reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedEverywhereWithTheReason(String value, String reason) {
    assertThatThrownBy(() -> ServiceUrl.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("serviceUrl")
        .hasMessageContaining(reason)
        .hasMessageNotContaining("secret-pw");
    assertThat(ServiceUrl.problem(value)).contains(reason).doesNotContain("secret-pw");
    assertThatThrownBy(
            () ->
                ConversationReference.builder()
                    .conversationId("c")
                    .channelId("msteams")
                    .serviceUrl(value)
                    .build())
        .as("constructor")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
    String json =
        "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"msteams\",\"serviceUrl\":"
            + quote(value)
            + "}";
    assertMalformed(() -> ReferenceJson.read(json), "serviceUrl", reason);
    assertMalformed(
        () ->
            Capture.reference(
                "{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},"
                    + "\"channelId\":\"msteams\",\"serviceUrl\":"
                    + quote(value)
                    + "}"),
        "serviceUrl",
        reason);
    assertMalformed(
        () ->
            ResumptionCookies.read(
                "{\"address\":{\"channelId\":\"msteams\",\"conversationId\":\"c\","
                    + "\"serviceUrl\":"
                    + quote(value)
                    + "}}"),
        "address.serviceUrl",
        reason);
    assertMalformed(() -> CompactReference.decode(compact(json)), "serviceUrl", reason);
    assertThat(TrustPolicy.publicCloud().withTrustedHost("x.example").refusal(value, true))
        .as("trust policy")
        .isNotNull()
        .contains(reason);
  }

  private static void assertMalformed(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String path, String reason) {
    assertThatThrownBy(call)
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining(reason)
        .hasMessageNotContaining("secret-pw")
        .satisfies(e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo(path));
  }

  private static String compact(String json) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return CompactReference.PREFIX
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "127.0.0.1",
        "127.0.0.0",
        "127.255.255.255",
        "127.1.2.3",
        "[::1]",
        "[0:0:0:0:0:0:0:1]"
      })
  void loopbackIsExactlyLocalhost127SlashEightAndIpv6One(String host) {
    assertThat(ServiceUrl.isLoopbackHost(host)).isTrue();
    assertThat(ServiceUrl.parse("http://" + host + ":1/").isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.evil.example",
        "localhost.evil.com",
        "127.0.0.1.nip.io",
        "0x7f.1",
        "2130706433",
        "127.1",
        "127.0.0.256",
        "127.00.0.1",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::2]",
        "128.0.0.1",
        "evil.localhost",
        "xn--localhost",
        "127.0.0.1."
      })
  void namesThatMerelyLookLoopbackAreNot(String host) {
    assertThat(ServiceUrl.isLoopbackHost(host)).isFalse();
  }

  @Test
  void encodedMultipleSegmentsAndPortsStayInTheCanonicalForm() {
    ServiceUrl u = ServiceUrl.parse("https://smba.trafficmanager.net:8443/a/b%2Fc/");
    assertThat(u.scheme()).isEqualTo("https");
    assertThat(u.host()).isEqualTo("smba.trafficmanager.net");
    assertThat(u.port()).isEqualTo(8443);
    assertThat(u.path()).isEqualTo("/a/b%2Fc");
    assertThat(u.sameEndpoint(ServiceUrl.parse("https://SMBA.trafficmanager.net:8443/A/B%2fc")))
        .isTrue();
    assertThat(u.sameEndpoint(ServiceUrl.parse("https://smba.trafficmanager.net/a/b%2Fc")))
        .isFalse();
  }

  @Test
  void aReferenceKeepsItsServiceUrlVerbatim() {
    ConversationReference r =
        ReferenceJson.read(
            "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://SMBA.trafficmanager.net/amer/\"}");
    assertThat(r.serviceUrl()).isEqualTo("https://SMBA.trafficmanager.net/amer/");
    assertThat(ReferenceJson.read(ReferenceJson.write(r))).isEqualTo(r);
  }

  @Test
  void allowListPatternsAreNormalisedAndValidated() {
    assertThat(
            new TrustPolicy(java.util.List.of("*.bücher.example", "SMBA.trafficmanager.net"))
                .trustedHosts())
        .containsExactly("*.xn--bcher-kva.example", "smba.trafficmanager.net");
    assertThatThrownBy(() -> TrustPolicy.publicCloud().withTrustedHost("smba.trafficmanager.net."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'.'");
    assertThatThrownBy(() -> TrustPolicy.publicCloud().withTrustedHost("*.\u017Fmba.example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            TrustPolicy.publicCloud().withTrustedHost("[::1]").refusal("http://[::1]:3978/", false))
        .isNull();
    assertThat(TrustPolicy.publicCloud().refusal("http://[::1]:3978/", false))
        .contains("withTrustedHost(\"[::1]\")");
    assertThatThrownBy(() -> TrustPolicy.publicCloud().withTrustedHost("*"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
