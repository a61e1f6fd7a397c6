package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.cli.config.Redactor;
import dev.beckon.cli.config.UriProviders;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.testkit.SampleReferences;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CLI finds its stores through {@link java.util.ServiceLoader} ({@link UriProviders#stores()}):
 * the four storage modules it ships register themselves (module path and class path), and a third
 * party's provider that only {@code META-INF/services} names ({@link TestMemoryStoreProvider}) is
 * found and used the same way, in help texts, messages, redaction and commands.
 */
class StoreProvidersTest {

  private static final String SECRET = "Pr0viderS3cret";

  @Test
  void theFourShippedStoresAndTheTestOnlyOneAreFound() {
    assertThat(UriProviders.stores().all())
        .extracting(p -> p.getClass().getName())
        .containsExactlyInAnyOrder(
            "dev.beckon.storage.azuretable.AzureTableStoreProvider",
            "dev.beckon.storage.dynamodb.DynamoDbStoreProvider",
            "dev.beckon.storage.jdbc.JdbcStoreProvider",
            "dev.beckon.storage.redis.RedisStoreProvider",
            TestMemoryStoreProvider.class.getName());
    assertThat(UriProviders.stores().schemes())
        .isEqualTo("azure-table:, dynamodb:, jdbc:, redis:, rediss:, test-memory:");
  }

  @Test
  void eachShippedStoreRegistersItsProviderForTheModulePathAndTheClassPath() throws Exception {
    for (StoreProvider p : UriProviders.stores().all()) {
      if (p instanceof TestMemoryStoreProvider) {
        continue;
      }
      URL where = p.getClass().getProtectionDomain().getCodeSource().getLocation();
      try (URLClassLoader jar = new URLClassLoader(new URL[] {where}, null)) {
        ModuleDescriptor module;
        try (InputStream in = jar.findResource("module-info.class").openStream()) {
          module = ModuleDescriptor.read(in);
        }
        assertThat(module.provides())
            .as("%s provides %s", module.name(), StoreProvider.class.getName())
            .anySatisfy(
                provides -> {
                  assertThat(provides.service()).isEqualTo(StoreProvider.class.getName());
                  assertThat(provides.providers()).containsExactly(p.getClass().getName());
                });
        try (InputStream in =
            jar.findResource("META-INF/services/" + StoreProvider.class.getName()).openStream()) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
              .isEqualTo(p.getClass().getName());
        }
      }
    }
  }

  @Test
  void aThirdPartyProviderIsFoundAndUsedByTheCommands() {
    ConfiguredStore.open("test-memory:seeded")
        .repository()
        .save(SampleReferences.reference("msteams", "conv-third-party", null));
    Run r = execute("refs", "list", "--store", "test-memory:seeded");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).contains("msteams\tconv-third-party\t");
    assertThat(r.err()).as(r.toString()).contains("1 reference(s)");

    Run table = execute("refs", "list", "--store", "test-memory:", "--table", "seeded");
    assertThat(table.out()).as(table.toString()).contains("conv-third-party");
  }

  @Test
  void aConfiguredStoreClosesWhatItsProviderOpened() {
    int before = TestMemoryStoreProvider.CLOSED.get();
    try (ConfiguredStore store = ConfiguredStore.open("test-memory:closing")) {
      assertThat(store.repository()).isSameAs(TestMemoryStoreProvider.REPOSITORIES.get("closing"));
      assertThat(store.description()).isEqualTo("test-memory closing");
    }
    assertThat(TestMemoryStoreProvider.CLOSED.get()).isEqualTo(before + 1);
  }

  @Test
  void anUnknownSchemeListsTheSchemesFoundAndHidesTheSecret() {
    assertThatThrownBy(() -> ConfiguredStore.open("mongodb://u:" + SECRET + "@127.0.0.1/refs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown store URI scheme in 'mongodb://u:***@127.0.0.1/refs'")
        .hasMessageContaining("use azure-table:, dynamodb:, jdbc:, redis:, rediss:, test-memory:")
        .hasMessageNotContaining(SECRET);

    Run r = execute("refs", "list", "--store", "mongodb://u:" + SECRET + "@127.0.0.1/refs");
    assertThat(r.exit()).as(r.toString()).isEqualTo(BeckonCli.BAD_INPUT);
    assertThat(r.err())
        .as(r.toString())
        .startsWith("beckon: unknown store URI scheme")
        .contains("test-memory:")
        .doesNotContain(SECRET);
  }

  @Test
  void theQueuesAreFoundTheSameWayAndAnUnknownSchemeNamesThem() {
    assertThat(UriProviders.queues().all())
        .extracting(p -> p.getClass().getName())
        .containsExactlyInAnyOrder(
            "dev.beckon.delivery.sqs.SqsDeliveryQueueProvider",
            "dev.beckon.storage.jdbc.JdbcDeliveryQueueProvider",
            "dev.beckon.storage.redis.RedisDeliveryQueueProvider",
            TestMemoryQueueProvider.class.getName());
    assertThat(UriProviders.queues().usages()).contains("test-memory:<name>");
    assertThatThrownBy(() -> UriProviders.queues().forUri("mongodb://127.0.0.1/q"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown queue URI scheme in 'mongodb://127.0.0.1/q': use ")
        .hasMessageContaining("test-memory:");
    assertThat(UriProviders.queues().forUri("TEST-MEMORY:q"))
        .isInstanceOf(TestMemoryQueueProvider.class);
  }

  @Test
  void aProvidersOwnSecretParameterIsRedactedEverywhere() {
    String uri = "test-memory:x;testKey=" + SECRET;
    assertThat(ConfiguredStore.redact(uri)).isEqualTo("test-memory:x;testKey=***");
    assertThat(Redactor.patterns().redact("see TESTKEY=" + SECRET + " here"))
        .isEqualTo("see TESTKEY=*** here");

    assertThatThrownBy(() -> ConfiguredStore.open(uri + ";fail"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot reach test-memory:x;testKey=***;fail");

    Run r = execute("refs", "list", "--store", uri + ";fail");
    assertThat(r.exit()).as(r.toString()).isEqualTo(BeckonCli.FAILED);
    assertThat(r.err()).as(r.toString()).contains("testKey=***").doesNotContain(SECRET);
  }

  @Test
  void tableOptionsAndSameStoreGoThroughTheProvider() {
    assertThat(ConfiguredStore.withTable("test-memory:", "t1", false)).isEqualTo("test-memory:t1");
    assertThatThrownBy(() -> ConfiguredStore.withTable("test-memory:a", "b", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conflicts");
    assertThat(ConfiguredStore.sameStore("test-memory:a", "test-memory:a;testKey=zzzzzz")).isTrue();
    assertThat(ConfiguredStore.sameStore("test-memory:a", "test-memory:b")).isFalse();
  }

  @Test
  void theHelpTextsListWhatEachStoreTakes() {
    Run r = execute("refs", "list", "--help");
    assertThat(r.exit()).as(r.toString()).isZero();
    String help = r.out().replaceAll("\\s+", "");
    for (StoreProvider p : UriProviders.stores().all()) {
      // as printed: redacted (the usage's user:password@ reads user:***@)
      assertThat(help).contains(Redactor.patterns().redact(p.usage()).replaceAll("\\s+", ""));
    }
    assertThat(help)
        .contains("thesameas;Create=true(azure-table:),&create=true(dynamodb:),#create(jdbc:)inthe")
        .doesNotContain("${bundle");

    Run migrate = execute("migrate", "--help");
    assertThat(migrate.out().replaceAll("\\s+", ""))
        .contains("(as;Create=true(azure-table:),&create=true(dynamodb:),#create(jdbc:)in--to)");
  }

  @Test
  void theCreateHintNamesEachStoresCreateOption() {
    List<String> expected =
        UriProviders.stores().all().stream()
            .flatMap(
                p ->
                    p
                        .createOption()
                        .map(o -> o + " to " + UriProviders.stores().scheme(p))
                        .stream())
            .collect(Collectors.toList());
    assertThat(expected)
        .containsExactly(
            ";Create=true to azure-table:", "&create=true to dynamodb:", "#create to jdbc:");
    assertThat(BeckonCli.CREATE_HINT)
        .isEqualTo(
            " (from the CLI: add --create-table, or ;Create=true to azure-table:,"
                + " &create=true to dynamodb:, #create to jdbc:)");
    assertThat(new TestMemoryStoreProvider().createOption()).isEqualTo(Optional.empty());
  }

  @Test
  void theCliNamesNoStoreInItsSources() throws Exception {
    try (var files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path f :
          files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        assertThat(Files.readString(f))
            .as("%s names no store module", f)
            .doesNotContain("dev.beckon.storage.");
      }
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = BeckonCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
