package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles against the published modules, as a user would
 * paste it:
 *
 * <ul>
 *   <li>a block that starts with {@code import} or {@code package} is a complete file and is
 *       compiled exactly as written (the quick start: its imports must be complete);
 *   <li>a block that declares a top-level class is compiled with the README's usual imports;
 *   <li>any other block is a fragment: it becomes the body of a method whose parameters are the
 *       names the README assumes, declared on the line before the fence as {@code <!-- given: Type
 *       name, Type name -->}.
 * </ul>
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** What a reader of a fragment has imported (the README's import line says the same). */
  private static final List<String> IMPORTS =
      List.of(
          "dev.beckon.*",
          "dev.beckon.activity.*",
          "dev.beckon.auth.*",
          "dev.beckon.auth.azure.*",
          "com.azure.identity.*",
          "dev.beckon.broadcast.*",
          "dev.beckon.codec.*",
          "dev.beckon.delivery.*",
          "dev.beckon.inbound.*",
          "dev.beckon.reference.*",
          "dev.beckon.retry.*",
          "dev.beckon.send.*",
          "dev.beckon.send.transport.*",
          "dev.beckon.store.*",
          "dev.beckon.store.memory.*",
          "dev.beckon.testkit.*",
          "dev.beckon.storage.jdbc.*",
          "dev.beckon.storage.redis.*",
          "dev.beckon.storage.azuretable.*",
          "dev.beckon.storage.dynamodb.*",
          "java.net.InetSocketAddress",
          "java.nio.file.Path",
          "java.time.Duration",
          "java.util.List",
          "java.util.function.BiConsumer",
          "javax.sql.DataSource",
          "com.sun.net.httpserver.HttpServer",
          "com.zaxxer.hikari.HikariConfig",
          "com.zaxxer.hikari.HikariDataSource",
          "redis.clients.jedis.RedisClient",
          "com.azure.data.tables.TableClient",
          "com.azure.data.tables.TableClientBuilder",
          "software.amazon.awssdk.regions.Region",
          "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
          "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");

  private static final Pattern BLOCK =
      Pattern.compile(
          "(?:<!-- given: (?<given>[^\\n]*?) -->\\n)?```java\\n(?<code>.*?)```", Pattern.DOTALL);
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile("(?m)^(?:public |abstract |final )*(?:class|record|interface|enum) (\\w+)");

  @Test
  void everyJavaSnippetCompiles(@TempDir Path dir) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    List<Path> sources = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    int n = 0;
    while (m.find()) {
      n++;
      int line =
          (int) readme.substring(0, m.start("code")).chars().filter(c -> c == '\n').count() + 1;
      sources.add(write(dir, n, line, m.group("code"), m.group("given")));
    }
    assertThat(n).as("java blocks in the README").isGreaterThanOrEqualTo(8);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      String classPath =
          Files.readString(Path.of("target/test-classpath.txt")).trim()
              + java.io.File.pathSeparator
              + Path.of("target/classes").toAbsolutePath();
      Path out = Files.createDirectories(dir.resolve("classes"));
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "-classpath",
                      classPath,
                      "-d",
                      out.toString(),
                      "--release",
                      "17",
                      "-proc:none"),
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      String errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(
                  d ->
                      d.getSource().getName().replaceAll(".*/", "")
                          + ":"
                          + d.getLineNumber()
                          + ": "
                          + d.getMessage(Locale.ROOT))
              .collect(Collectors.joining("\n"));
      assertThat(ok)
          .as("README snippets compile; errors (file names give the README line):\n%s", errors)
          .isTrue();
    }
  }

  private static Path write(Path dir, int n, int readmeLine, String code, String given)
      throws IOException {
    String trimmed = code.stripLeading();
    String source;
    String name;
    Matcher type = TOP_LEVEL_TYPE.matcher(code);
    if (trimmed.startsWith("import ") || trimmed.startsWith("package ")) {
      if (!type.find()) {
        throw new AssertionError(
            "README line " + readmeLine + ": a complete file declares a class");
      }
      name = type.group(1);
      source = code;
    } else if (type.find()) {
      name = type.group(1);
      source = imports() + code;
    } else {
      name = "Snippet" + n;
      source =
          imports()
              + "class "
              + name
              + " {\n  @SuppressWarnings(\"unused\")\n  void run("
              + (given == null ? "" : given)
              + ") throws Exception {\n"
              + code
              + "\n  }\n}\n";
    }
    Path file = dir.resolve("readme-line-" + readmeLine).resolve(name + ".java");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, source, StandardCharsets.UTF_8);
  }

  private static String imports() {
    return IMPORTS.stream().map(i -> "import " + i + ";\n").collect(Collectors.joining());
  }
}
