package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's JPMS application: a {@code module-info.java} that requires {@code dev.beckon.core} and
 * {@code dev.beckon.storage.jdbc}, compiled with {@code javax.tools} against the modules the
 * reactor built and run with {@code java --module-path … -m consumer/consumer.Main} in a child JVM.
 * It proves the published descriptors: the API packages are exported, Jackson comes along through
 * {@code requires transitive}, the JDBC store reads its shipped schema from inside its module, and
 * {@code dev.beckon.internal.*} is out of reach.
 *
 * <p>The module path is the closure of those roots over the module descriptors found on this
 * module's runtime class path ({@code target/classpath.txt}); in a reactor build Beckon's entries
 * are the modules just built.
 */
class JpmsConsumerTest {

  private static final String ACTIVITY =
      "{\"type\":\"message\",\"id\":\"a-1\",\"channelId\":\"emulator\","
          + "\"serviceUrl\":\"http://localhost:52673\",\"from\":{\"id\":\"user-1\",\"name\":\"User\"},"
          + "\"recipient\":{\"id\":\"bot-1\",\"name\":\"Bot\"},\"conversation\":{\"id\":\"conv-1\"},\"text\":\"hi\"}";

  private static final String MODULE_INFO =
      """
      module consumer {
        requires dev.beckon.core;
        requires dev.beckon.storage.jdbc;
        requires com.h2database;
        requires java.naming; // H2's JdbcDataSource implements javax.naming.Referenceable
      }
      """;

  private static final String MAIN =
      """
      package consumer;

      import com.fasterxml.jackson.databind.JsonNode;
      import com.fasterxml.jackson.databind.ObjectMapper;
      import dev.beckon.codec.Capture;
      import dev.beckon.reference.ConversationReference;
      import dev.beckon.storage.jdbc.JdbcReferenceRepository;
      import dev.beckon.store.memory.InMemoryReferenceRepository;
      import org.h2.jdbcx.JdbcDataSource;

      public final class Main {
        public static void main(String[] args) throws Exception {
          JsonNode activity = new ObjectMapper().readTree(args[0]);
          ConversationReference reference = Capture.reference(activity);
          System.out.println("module " + ConversationReference.class.getModule().getName());
          System.out.println("captured " + reference.key().channelId());

          InMemoryReferenceRepository memory = new InMemoryReferenceRepository();
          memory.save(reference);
          System.out.println("memory found " + memory.find(reference.key()).isPresent());

          JdbcDataSource h2 = new JdbcDataSource();
          h2.setURL("jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1");
          JdbcReferenceRepository jdbc = JdbcReferenceRepository.builder(h2).build();
          jdbc.createSchema();
          jdbc.save(reference);
          System.out.println("jdbc found " + jdbc.find(reference.key()).isPresent());

          System.out.println("internal exported "
              + ConversationReference.class.getModule().isExported("dev.beckon.internal.json"));
        }
      }
      """;

  private static final String INTERNAL_MAIN =
      """
      package consumer;

      import dev.beckon.internal.json.Json;

      public final class Main {
        public static void main(String[] args) {
          System.out.println(Json.class);
        }
      }
      """;

  private static List<Path> modulePath = List.of();

  @BeforeAll
  static void modulePath() throws IOException {
    Map<String, ModuleReference> found = new LinkedHashMap<>();
    for (String entry :
        Files.readString(Path.of("target", "classpath.txt"))
            .strip()
            .split(File.pathSeparator, -1)) {
      try {
        for (ModuleReference m : ModuleFinder.of(Path.of(entry)).findAll()) {
          found.putIfAbsent(m.descriptor().name(), m);
        }
      } catch (FindException e) {
        // a jar without a usable module name: nothing this consumer needs
      }
    }
    for (String beckon : List.of("dev.beckon.core", "dev.beckon.storage.jdbc")) {
      assertThat(found).as("%s on the runtime class path", beckon).containsKey(beckon);
      assertThat(found.get(beckon).descriptor().isAutomatic())
          .as("%s has a module-info (build it through the reactor: -pl examples -am)", beckon)
          .isFalse();
    }
    Set<String> closure = new java.util.LinkedHashSet<>();
    Deque<String> todo =
        new ArrayDeque<>(
            List.of(
                "dev.beckon.core",
                "dev.beckon.storage.jdbc",
                "com.h2database",
                "org.slf4j.simple"));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      ModuleReference m = found.get(name);
      if (m == null || !closure.add(name)) {
        continue; // a JDK module, or seen
      }
      for (ModuleDescriptor.Requires r : m.descriptor().requires()) {
        todo.push(r.name());
      }
    }
    modulePath = closure.stream().map(n -> Path.of(found.get(n).location().orElseThrow())).toList();
  }

  @Test
  @Timeout(120)
  void aModularApplicationCapturesAndStoresThroughTheExportedApi(@TempDir Path dir)
      throws Exception {
    Path classes = dir.resolve("classes");
    List<String> errors = compile(dir.resolve("src"), classes, MAIN);
    assertThat(errors).as("the consumer compiles on the module path").isEmpty();

    String path = classes + File.pathSeparator + joined(modulePath);
    Process p =
        new ProcessBuilder(
                ExampleJvm.java(),
                "--module-path",
                path,
                "--add-modules",
                "org.slf4j.simple",
                "-m",
                "consumer/consumer.Main",
                ACTIVITY)
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertThat(p.exitValue()).as("exit code; stderr:%n%s", err).isZero();
    assertThat(out.lines().toList())
        .containsExactly(
            "module dev.beckon.core",
            "captured emulator",
            "memory found true",
            "jdbc found true",
            "internal exported false");
    // lifecycle logging reaches the user's SLF4J binding on the module path too
    assertThat(err).contains("INFO dev.beckon.storage.jdbc.JdbcReferenceRepository");
  }

  @Test
  @Timeout(120)
  void theInternalPackagesAreNotExported(@TempDir Path dir) throws Exception {
    List<String> errors = compile(dir.resolve("src"), dir.resolve("classes"), INTERNAL_MAIN);
    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("package dev.beckon.internal.json is not visible")
                    .contains("does not export it"));
  }

  /**
   * Compiles module {@code consumer} (its module-info and {@code consumer.Main}); returns its
   * errors.
   */
  private static List<String> compile(Path src, Path classes, String main) throws IOException {
    Path info = src.resolve("module-info.java");
    Path mainFile = src.resolve("consumer").resolve("Main.java");
    Files.createDirectories(mainFile.getParent());
    Files.createDirectories(classes);
    Files.writeString(info, MODULE_INFO);
    Files.writeString(mainFile, main);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      // an empty class path, not this JVM's (javac's default): the consumer sees the module path
      // only
      files.setLocation(StandardLocation.CLASS_PATH, List.of());
      List<String> options =
          new ArrayList<>(
              List.of(
                  "--release",
                  "17",
                  "--module-path",
                  joined(modulePath),
                  "-d",
                  classes.toString()));
      javac
          .getTask(
              null, files, diagnostics, options, null, files.getJavaFileObjects(info, mainFile))
          .call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(Locale.ROOT))
        .collect(Collectors.toList());
  }

  private static String joined(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
