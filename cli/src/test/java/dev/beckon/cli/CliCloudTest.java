package dev.beckon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.auth.Cloud;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import picocli.CommandLine.TypeConversionException;

/** {@code --cloud} of {@code send} and {@code broadcast}: one name switches the trusted hosts. */
class CliCloudTest {

  @Test
  void aGovernmentCloudSenderRefusesAPublicCloudReference(@TempDir Path dir) throws Exception {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("refs.db"));
    JdbcReferenceRepository repo = JdbcReferenceRepository.builder(ds).build();
    repo.createSchema();
    repo.save(
        SampleReferences.reference("msteams", "a:public", "t1")
            .withServiceUrl("https://smba.trafficmanager.net/amer/"));
    CliProcess.Result r =
        CliProcess.run(
            null,
            "send",
            "--store",
            "jdbc:sqlite:" + dir.resolve("refs.db"),
            "--channel",
            "msteams",
            "--conversation",
            "a:public",
            "--text",
            "hi",
            "--anonymous",
            "--cloud",
            "gcc-high");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .as(r.toString())
        .contains("smba.trafficmanager.net")
        .contains("--trust-host");
  }

  @Test
  void cloudNamesAreThePresetsOnly() {
    OptionTypes.CloudName names = new OptionTypes.CloudName();
    assertThat(names.convert("public")).isSameAs(Cloud.PUBLIC);
    assertThat(names.convert("US-GOV")).isSameAs(Cloud.US_GOV);
    assertThat(names.convert("dod")).isSameAs(Cloud.US_DOD);
    assertThat(names.convert("china")).isSameAs(Cloud.CHINA);
    assertThatThrownBy(() -> names.convert("gcc"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("public, us-gov (gcc-high), us-dod (dod) or china");
  }
}
