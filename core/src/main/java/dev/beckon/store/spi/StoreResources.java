package dev.beckon.store.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the texts a store ships in its module (scripts, SQL, schemas, tables of statements). The
 * store opens the stream with its own class's {@link Class#getResourceAsStream(String)}: on the
 * module path a resource is encapsulated in its module, so core could not open it.
 *
 * <pre>{@code
 * String lua = StoreResources.text(MyRepository.class.getResourceAsStream("write.lua"), "write.lua");
 * }</pre>
 */
public final class StoreResources {

  private StoreResources() {}

  /**
   * A resource as UTF-8 text; the stream is closed.
   *
   * @param in the resource's stream, or {@code null} when it is missing
   * @param name the resource's name, for the message
   * @return the text
   * @throws IllegalStateException when the resource is missing (the module is broken)
   * @throws UncheckedIOException when it cannot be read
   */
  public static String text(@Nullable InputStream in, String name) {
    if (in == null) {
      throw new IllegalStateException("the store's module lacks its resource " + name);
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Resources as one {@link Properties} table, each later one adding to and overriding the earlier
   * ones: a store's shared statements, then its dialect's, say.
   *
   * <pre>{@code
   * Properties sql = StoreResources.properties(
   *     List.of("sql.properties", "sql-h2.properties"), MyRepository.class::getResourceAsStream);
   * }</pre>
   *
   * @param names the resources' names, in order
   * @param open opens a resource by its name (the store's {@link Class#getResourceAsStream})
   * @return the merged table
   * @throws IllegalStateException when a resource is missing or not a properties file (the module
   *     is broken)
   * @throws UncheckedIOException when one cannot be read
   */
  public static Properties properties(
      List<String> names, Function<String, @Nullable InputStream> open) {
    Properties merged = new Properties();
    for (String name : names) {
      try {
        merged.load(new StringReader(text(open.apply(name), name)));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalStateException("the store's resource " + name + " is malformed", e);
      }
    }
    return merged;
  }
}
