/** Beckon's Azure Table store over a {@code TableClient} you provide (required transitively). */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.storage.azuretable {
  requires transitive dev.beckon.core;
  requires transitive com.azure.data.tables;
  // the HTTP transport this store ships with (java.net.http, instead of the SDK's default Netty)
  requires com.azure.core.http.jdk.httpclient;
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.storage.azuretable;

  provides dev.beckon.store.spi.StoreProvider with
      dev.beckon.storage.azuretable.AzureTableStoreProvider;
}
