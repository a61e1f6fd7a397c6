package dev.beckon.cli;

import dev.beckon.Beckon;
import picocli.CommandLine;

/**
 * What {@code beckon --version} prints: the version of the Beckon build the CLI runs on, read from
 * the build ({@link Beckon#version()}), and the Java runtime.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "beckon " + Beckon.version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "unknown VM") + ")"
    };
  }
}
