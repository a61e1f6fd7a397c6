package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link AbstractReferenceRepository#scansPerPage()}: a page is one scan by default, and fills from
 * more scans where the store allows; and the provider helpers {@link StoreProvider#endpointUri} and
 * {@link DeclaredStoreProvider#createdIfAsked}.
 */
class ScansPerPageTest {

  /** A store whose scan returns one row per round trip, in insertion order. */
  static final class OneRowPerScan extends AbstractReferenceRepository {
    final List<RowWrite> rows = new ArrayList<>();
    final List<Integer> limits = new ArrayList<>();
    final int scansPerPage;

    OneRowPerScan(int scansPerPage) {
      super(StoreOptions.defaults());
      this.scansPerPage = scansPerPage;
    }

    @Override
    protected Optional<StoredRow> read(ReferenceKey key) {
      return Optional.empty();
    }

    @Override
    protected WriteResult write(RowWrite row, Precondition precondition) {
      rows.add(row);
      return WriteResult.ok();
    }

    @Override
    protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
      return WriteResult.refused(null);
    }

    @Override
    protected ScanResult scan(Scan scan) {
      limits.add(scan.limit());
      int at = scan.position() == null ? 0 : Integer.parseInt(scan.position());
      RowWrite r = rows.get(at);
      StoredRow row =
          new StoredRow(
              r.document().keyHash(),
              r.document().key().channelId(),
              r.document().key().conversationId(),
              r.document().json(),
              r.version(),
              0);
      return new ScanResult(List.of(row), at + 1 < rows.size() ? Integer.toString(at + 1) : null);
    }

    @Override
    protected long purge(long nowMillis) {
      return 0;
    }

    @Override
    protected String location() {
      return "one row per scan";
    }

    @Override
    protected int scansPerPage() {
      return scansPerPage;
    }
  }

  private static OneRowPerScan withFive(int scansPerPage) {
    OneRowPerScan store = new OneRowPerScan(scansPerPage);
    for (int i = 0; i < 5; i++) {
      store.save(
          ConversationReference.builder()
              .channelId("msteams")
              .conversationId("c-" + i)
              .serviceUrl("https://smba.trafficmanager.net/amer/")
              .build());
    }
    return store;
  }

  @Test
  void aPageIsOneScanByDefault() {
    OneRowPerScan store = withFive(1);
    Page page = store.list(ListQuery.all().withPageSize(3));
    assertThat(page.items()).hasSize(1);
    assertThat(page.next()).isNotNull();
    assertThat(store.limits).containsExactly(3);
  }

  @Test
  void aShortPageFillsFromMoreScansAsTheStoreAllows() {
    OneRowPerScan store = withFive(10);
    Page first = store.list(ListQuery.all().withPageSize(3));
    assertThat(first.items())
        .extracting(s -> s.reference().conversation().id())
        .containsExactly("c-0", "c-1", "c-2");
    assertThat(store.limits).as("each scan asks for the rest of the page").containsExactly(3, 2, 1);
    Page rest = store.list(ListQuery.all().withPageSize(3).withCursor(first.next()));
    assertThat(rest.items())
        .extracting(s -> s.reference().conversation().id())
        .containsExactly("c-3", "c-4");
    assertThat(rest.next()).as("the listing ended").isNull();

    OneRowPerScan two = withFive(2);
    assertThat(two.list(ListQuery.all().withPageSize(4)).items()).as("at most 2 scans").hasSize(2);
  }

  @Test
  void anEndpointWithCredentialsIsRefused() {
    assertThat(StoreProvider.endpointUri("http://127.0.0.1:4567", "x endpoint", "e", "the chain"))
        .hasPort(4567);
    assertThatThrownBy(
            () ->
                StoreProvider.endpointUri("http://u:p@127.0.0.1:1", "x endpoint", "e", "the chain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the x endpoint must not carry credentials (user:password@): they come from the chain")
        .hasMessageNotContaining("u:p");
    assertThatThrownBy(() -> StoreProvider.endpointUri("http:///x", "x endpoint", "e", "c"))
        .hasMessageContaining("x endpoint needs a host");
  }

  @Test
  void theTableIsCreatedOnlyWhenTheUriAsks() {
    DeclaredStoreProviderTest.InBase provider = new DeclaredStoreProviderTest.InBase();
    StoreUri.Syntax syntax = new StoreUri.Syntax("?", "&", "&", false, true);
    List<String> created = new ArrayList<>();
    for (String uri : List.of("tb:t?create=true", "tb:t?create", "tb:t", "tb:t?create=false")) {
      provider.createdIfAsked(StoreUri.parse(uri, syntax), uri, created::add);
    }
    assertThat(created).containsExactly("tb:t?create=true", "tb:t?create");
  }
}
