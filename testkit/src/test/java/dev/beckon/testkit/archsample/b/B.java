package dev.beckon.testkit.archsample.b;

import dev.beckon.testkit.archsample.a.A;

/** The other half of a package cycle, for StoreArchitectureRulesTest. */
public final class B {
  private B() {}

  /**
   * Uses the first half.
   *
   * @return a name
   */
  public static String name() {
    return A.class.getSimpleName();
  }
}
