package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a published module (one that does not set {@code maven.deploy.skip}) is
 * missing from the BOM, when the BOM lists something that is not a Beckon module, or when it leaks
 * a third-party version.
 */
class BomCompletenessTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyPublishedModuleIsInTheBomAndNothingElse() throws Exception {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    List<String> published = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(root);
    while (m.find()) {
      String module = m.group(1).trim();
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      if (module.equals("bom") || pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
        continue; // the BOM itself, and modules that are never published (examples, benchmarks,
        // coverage)
      }
      Matcher a = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
      assertThat(a.find()).as("artifactId of %s", module).isTrue();
      published.add(a.group(1));
    }
    List<String> listed = new ArrayList<>();
    Matcher d =
        Pattern.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>")
            .matcher(
                bom.substring(
                    bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>")));
    while (d.find()) {
      assertThat(d.group(1))
          .as("the BOM lists only Beckon's own artifacts")
          .isEqualTo("dev.beckon");
      listed.add(d.group(2));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(published);
    assertThat(bom)
        .as("the BOM has no parent, so it inherits no third-party versions")
        .doesNotContain("<parent>");
  }
}
