package dev.beckon.store.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the texts a store ships in its module (scripts, SQL, schemas), by its own class: on the
 * module path a class loader cannot see another module's resources.
 */
public final class StoreResources {

  private StoreResources() {}

  /**
   * A resource of the module of a class, as UTF-8 text.
   *
   * @param owner a class of the store's module; a relative {@code name} is in its package
   * @param name the resource, as {@link Class#getResourceAsStream(String)} takes it
   * @return the text
   * @throws IllegalStateException when the resource is missing (the module is broken)
   * @throws UncheckedIOException when it cannot be read
   */
  public static String text(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(owner.getModule() + " lacks its resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
