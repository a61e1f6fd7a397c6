/**
 * Beckon's Azure Table Storage store over a {@code TableClient} you provide (the client type is in
 * the builder's signature, so {@code com.azure.data.tables} is required transitively).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.storage.azuretable {
  requires transitive dev.beckon.core;
  requires transitive com.azure.data.tables;
  requires com.azure.core;
  // the HTTP transport this store ships with (java.net.http, instead of the SDK's default Netty)
  requires com.azure.core.http.jdk.httpclient;
  requires org.slf4j;
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.storage.azuretable;

  provides dev.beckon.store.spi.StoreProvider with
      dev.beckon.storage.azuretable.AzureTableStoreProvider;
}
