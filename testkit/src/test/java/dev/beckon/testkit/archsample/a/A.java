package dev.beckon.testkit.archsample.a;

import dev.beckon.testkit.archsample.b.B;

/** Half of a package cycle, for StoreArchitectureRulesTest. */
public final class A {
  private A() {}

  /**
   * Uses the other half.
   *
   * @return a name
   */
  public static String name() {
    return B.class.getSimpleName();
  }
}
