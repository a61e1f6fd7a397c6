package dev.beckon.store.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the texts a store ships in its module (scripts, SQL, schemas). The store opens the stream
 * with its own class's {@link Class#getResourceAsStream(String)}: on the module path a resource is
 * encapsulated in its module, so core could not open it.
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
}
