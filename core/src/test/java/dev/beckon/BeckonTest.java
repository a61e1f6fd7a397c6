package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeckonTest {

  @Test
  void theVersionComesFromTheBuild() {
    assertThat(Beckon.version()).matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
  }
}
