package dev.beckon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Facts about this build of Beckon. The version comes from the build itself (a resource the Maven
 * build filters), so the {@code User-Agent} of every send and {@code beckon --version} say the same
 * thing and nobody edits a literal.
 */
public final class Beckon {

  private static final String VERSION = load();

  private Beckon() {}

  /**
   * The version of the {@code beckon-core} jar on the class path.
   *
   * @return for example {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}; {@code unknown} only when the
   *     classes were not built by the Maven build (an IDE compiling the sources alone)
   */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Beckon.class.getResourceAsStream("beckon.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
