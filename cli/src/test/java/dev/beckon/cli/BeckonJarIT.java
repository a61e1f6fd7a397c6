package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Beckon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/beckon.jar}, run with {@code java -jar} as an operator would: its
 * manifest, and every store's client working from the one shaded jar (service loaders of the JDBC
 * drivers, the Azure and AWS SDKs), and what it carries: no test library, every licence.
 */
class BeckonJarIT {

  private static final Path JAR = Path.of("target", "beckon.jar");

  @Test
  void carriesNoTestLibrary() throws Exception {
    List<String> entries = entries();
    assertThat(entries).as("beckon.jar has the CLI").contains("dev/beckon/cli/BeckonCli.class");
    assertThat(entries)
        .as("beckon.jar must not bundle test libraries")
        .noneMatch(
            e ->
                e.startsWith("org/junit/")
                    || e.startsWith("org/opentest4j/")
                    || e.startsWith("org/assertj/")
                    || e.startsWith("dev/beckon/testkit/")
                    || e.startsWith("net/jqwik/")
                    || e.startsWith("com/code_intelligence/"));
  }

  @Test
  void carriesBeckonsLicenceAndNoticeAndEveryBundledOne() throws Exception {
    List<String> entries = entries();
    assertThat(entries).contains("META-INF/LICENSE", "META-INF/NOTICE");
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      String licence = text(zip, "META-INF/LICENSE");
      assertThat(licence).contains("Apache License").contains("Version 2.0, January 2004");
      String notice = text(zip, "META-INF/NOTICE");
      assertThat(notice)
          .as("Beckon's NOTICE, merged with the bundled ones")
          .contains("Copyright 2026 The Beckon developers")
          .contains("Jackson")
          .doesNotStartWith("Beckon CLI\nCopyright 2006");
    }
    // licences other than Apache's, which the licence transformer's one META-INF/LICENSE does not
    // stand for
    assertThat(entries)
        .anyMatch(e -> e.matches("META-INF/licenses/postgresql-[^/]+-jar/META-INF/LICENSE"))
        .anyMatch(e -> e.matches("META-INF/licenses/slf4j-api-[^/]+-jar/META-INF/LICENSE\\.txt"))
        .anyMatch(e -> e.matches("META-INF/licenses/stax2-api-[^/]+-jar/META-INF/LICENSE"));
  }

  private static List<String> entries() throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(
          JAR.toAbsolutePath()
              + " is missing: it is built in the package phase, before the *IT tests");
    }
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
    }
  }

  private static String text(ZipFile zip, String name) throws Exception {
    ZipEntry e = zip.getEntry(name);
    assertThat(e).as(name).isNotNull();
    try (var in = zip.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() throws Exception {
    CliProcess.Result r = CliProcess.runJar(null, "--help");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Usage: beckon")
        .contains("refs")
        .contains("import")
        .contains("export")
        .contains("migrate")
        .contains("send")
        .contains("broadcast")
        .contains("worker")
        .contains("deliveries")
        .contains("Exit codes:");
    CliProcess.Result v = CliProcess.runJar(null, "--version");
    assertThat(v.exit()).as(v.toString()).isZero();
    assertThat(Beckon.version())
        .as("the version the build filtered into beckon-core")
        .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(v.out())
        .startsWith("beckon " + Beckon.version() + System.lineSeparator())
        .contains("Java " + Runtime.version().feature());
  }

  @Test
  void oneJarCarriesReferencesThroughAllFourStores(@TempDir Path dir) throws Exception {
    String n = Long.toString(System.nanoTime() % 1_000_000);
    String sqlite = "jdbc:sqlite:" + dir.resolve("jar.db") + "#create";
    String redis =
        "redis://"
            + System.getProperty("beckon.redis.host", "127.0.0.1")
            + ":"
            + System.getProperty("beckon.redis.port", "6379")
            + "/jar-it-"
            + n;
    String azure = AzureTableCliTest.azure("jarit" + n, true);
    String dynamo = DynamoDbCliTest.store("jar_it_" + n, true);

    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      lines.append(DynamoDbCliTest.V4.replace("messageid=1", "messageid=" + i)).append('\n');
    }
    Path in = dir.resolve("refs.jsonl");
    Files.writeString(in, lines.toString());
    CliProcess.Result imp = CliProcess.runJar(null, "import", "--store", sqlite, in.toString());
    assertThat(imp.exit()).as(imp.toString()).isZero();

    String[][] hops = {{sqlite, redis}, {redis, azure}, {azure, dynamo}};
    for (String[] hop : hops) {
      CliProcess.Result m = CliProcess.runJar(null, "migrate", "--from", hop[0], "--to", hop[1]);
      assertThat(m.exit()).as(m.toString()).isZero();
      assertThat(m.out()).contains("migrated 12 reference(s)");
    }
    CliProcess.Result list =
        CliProcess.runJar(
            null,
            "refs",
            "list",
            "--store",
            DynamoDbCliTest.store("jar_it_" + n, false),
            "--limit",
            "0");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.err()).contains("12 reference(s)");
  }

  /**
   * {@code beckon worker} as a service: it sends what is due, and SIGTERM (what systemd and
   * Kubernetes send) stops it gracefully with exit 0 and its counts, not 143.
   */
  @Test
  void workerStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
    String store = "jdbc:sqlite:" + dir.resolve("refs.db") + "#create";
    String queue = "jdbc:sqlite:" + dir.resolve("queue.db") + "#create";
    try (dev.beckon.testkit.FakeConnector connector = dev.beckon.testkit.FakeConnector.start()) {
      dev.beckon.reference.ConversationReference ref =
          dev.beckon.testkit.SampleReferences.reference("msteams", "a:jar-worker", "t1")
              .withServiceUrl(connector.serviceUrl());
      try (var s = dev.beckon.cli.config.ConfiguredStore.open(store);
          var q = dev.beckon.cli.config.ConfiguredQueue.open(queue)) {
        s.repository().save(ref);
        q.queue()
            .schedule(
                ref.key(),
                dev.beckon.activity.Activity.message("done"),
                java.time.Instant.now(),
                "jar-1");
      }
      Path out = dir.resolve("worker.out");
      Path err = dir.resolve("worker.err");
      Process p =
          new ProcessBuilder(
                  CliProcess.java(),
                  "-jar",
                  JAR.toAbsolutePath().toString(),
                  "worker",
                  "--store",
                  store,
                  "--queue",
                  queue,
                  "--anonymous",
                  "--grace",
                  "10s")
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        // bounded wait for the delivery, not a timed assertion
        for (int i = 0; i < 600 && connector.activities("a:jar-worker").isEmpty(); i++) {
          assertThat(p.isAlive()).as(() -> read(err)).isTrue();
          Thread.sleep(100);
        }
        assertThat(connector.activities("a:jar-worker")).hasSize(1);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(p.exitValue()).as(read(err)).isZero();
      assertThat(read(out)).contains("stopped: claimed 1, delivered 1, gone 0, failed 0");
      assertThat(read(err)).contains("[worker] ").contains("delivered 1");
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
