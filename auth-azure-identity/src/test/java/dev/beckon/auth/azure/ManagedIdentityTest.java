package dev.beckon.auth.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * System- and user-assigned managed identity against loopback fakes of the App Service identity
 * endpoint ({@code IDENTITY_ENDPOINT} / {@code IDENTITY_HEADER}) and of IMDS (at {@code
 * AZURE_POD_IDENTITY_AUTHORITY_HOST}, where MSAL lets it be pointed).
 *
 * <p>MSAL reads these variables from the process environment only (azure-core's Configuration is
 * not consulted for them), so each case runs {@link ManagedIdentityProbe} in a child JVM started
 * with its own environment; this JVM's environment is never changed.
 */
class ManagedIdentityTest {

  private static final String USER_ASSIGNED = "22222222-2222-2222-2222-2222222222cc";
  private static final String RESOURCE = "https://api.botframework.com";
  private static final List<String> IDENTITY_VARIABLES =
      List.of(
          "IDENTITY_ENDPOINT",
          "IDENTITY_HEADER",
          "IDENTITY_SERVER_THUMBPRINT",
          "IMDS_ENDPOINT",
          "MSI_ENDPOINT",
          "MSI_SECRET",
          "AZURE_POD_IDENTITY_AUTHORITY_HOST",
          "AZURE_CLIENT_ID",
          "AZURE_TENANT_ID",
          "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_AUTHORITY_HOST");

  private static String tokenFor(Map<String, String> query, String prefix) {
    String who = query.getOrDefault("client_id", "system");
    return prefix + "-" + who;
  }

  @Test
  void appServiceIdentityEndpoint() throws Exception {
    long expiresOn = Instant.now().plusSeconds(3600).getEpochSecond();
    try (LoopbackHttp endpoint =
        new LoopbackHttp(
            null,
            r -> {
              if (!r.path().equals("/msi/token")
                  || !"fake-identity-header".equals(r.headers().get("x-identity-header"))) {
                return new LoopbackHttp.Response(400, "{\"error\":\"bad_request\"}");
              }
              return new LoopbackHttp.Response(
                  200,
                  "{\"access_token\":\""
                      + tokenFor(r.query(), "appservice")
                      + "\",\"expires_on\":\""
                      + expiresOn
                      + "\",\"resource\":\""
                      + RESOURCE
                      + "\",\"token_type\":\"Bearer\"}");
            })) {
      Map<String, String> out =
          probe(
              Map.of(
                  "IDENTITY_ENDPOINT",
                  "http://127.0.0.1:" + endpoint.port() + "/msi/token",
                  "IDENTITY_HEADER",
                  "fake-identity-header"));

      assertThat(out.get("system")).startsWith("appservice-system ");
      assertThat(out.get("user")).startsWith("appservice-" + USER_ASSIGNED + " ");
      String system = out.get("system");
      assertThat(Instant.parse(system.substring(system.indexOf(' ') + 1)).getEpochSecond())
          .isEqualTo(expiresOn);
      assertThat(endpoint.requests)
          .hasSize(2)
          .allSatisfy(
              r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.query()).containsEntry("resource", RESOURCE);
                assertThat(r.query()).containsKey("api-version");
              });
      assertThat(endpoint.requests.get(0).query()).doesNotContainKey("client_id");
      assertThat(endpoint.requests.get(1).query()).containsEntry("client_id", USER_ASSIGNED);
    }
  }

  @Test
  void imdsEndpoint() throws Exception {
    try (LoopbackHttp imds =
        new LoopbackHttp(
            null,
            r -> {
              // MSAL joins AZURE_POD_IDENTITY_AUTHORITY_HOST and the path with a double slash
              if (!r.path().replaceFirst("^/+", "/").equals("/metadata/identity/oauth2/token")
                  || !"true".equalsIgnoreCase(r.headers().get("metadata"))) {
                return new LoopbackHttp.Response(400, "{\"error\":\"bad_request\"}");
              }
              return new LoopbackHttp.Response(
                  200,
                  "{\"access_token\":\""
                      + tokenFor(r.query(), "imds")
                      + "\",\"expires_in\":\"3599\",\"expires_on\":\""
                      + Instant.now().plusSeconds(3599).getEpochSecond()
                      + "\",\"resource\":\""
                      + RESOURCE
                      + "\",\"token_type\":\"Bearer\"}");
            })) {
      Map<String, String> out =
          probe(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + imds.port()));

      assertThat(out.get("system")).as("requests: %s", imds.requests).startsWith("imds-system ");
      assertThat(out.get("user")).startsWith("imds-" + USER_ASSIGNED + " ");
      assertThat(imds.requests).hasSize(2);
      assertThat(imds.requests.get(0).query())
          .containsEntry("resource", RESOURCE)
          .doesNotContainKey("client_id");
      assertThat(imds.requests.get(1).query()).containsEntry("client_id", USER_ASSIGNED);
    }
  }

  @Test
  void anEndpointThatRefusesIsANonRetryableTokenExceptionInTheProbe() throws Exception {
    try (LoopbackHttp endpoint =
        new LoopbackHttp(
            null, r -> new LoopbackHttp.Response(400, "{\"error\":\"invalid_request\"}"))) {
      Map<String, String> out =
          probe(
              Map.of(
                  "IDENTITY_ENDPOINT",
                  "http://127.0.0.1:" + endpoint.port() + "/msi/token",
                  "IDENTITY_HEADER",
                  "fake-identity-header"));
      assertThat(out.get("system")).startsWith("error ").contains("ManagedIdentityCredential");
    }
  }

  // a child JVM over this module's classes and test classpath, with the given identity variables
  private static Map<String, String> probe(Map<String, String> variables)
      throws IOException, InterruptedException {
    String base = System.getProperty("user.dir");
    List<String> cp = new ArrayList<>();
    cp.add(Path.of(base, "target", "test-classes").toString());
    cp.add(Path.of(base, "target", "classes").toString());
    for (String p : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(p);
      if (v != null && !v.isEmpty()) {
        cp.add(v);
      }
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            String.join(File.pathSeparator, cp),
            ManagedIdentityProbe.class.getName(),
            USER_ASSIGNED);
    Map<String, String> env = pb.environment(); // the child's copy
    IDENTITY_VARIABLES.forEach(env::remove);
    env.putAll(variables);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process child = pb.start();
    String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!child.waitFor(120, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("the probe did not finish");
    }
    Map<String, String> lines = new java.util.HashMap<>();
    for (String line : stdout.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0 && (line.startsWith("system=") || line.startsWith("user="))) {
        lines.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    assertThat(lines).as("probe output: %s", stdout).containsKeys("system", "user");
    return lines;
  }
}
