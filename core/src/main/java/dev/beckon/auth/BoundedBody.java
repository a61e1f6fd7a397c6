package dev.beckon.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A response body read into memory up to a limit: past it the exchange is cancelled and the body
 * fails with {@link TooLarge}, so an endless or oversized answer costs at most {@code limit} bytes.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body went past the limit. */
  static final class TooLarge extends IOException {
    TooLarge(int limit) {
      super("larger than " + limit + " bytes");
    }
  }

  private final int limit;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.@Nullable Subscription subscription;

  private BoundedBody(int limit) {
    this.limit = limit;
  }

  /**
   * A handler whose bodies are bounded to {@code limit} bytes.
   *
   * @param limit the most bytes read
   * @return the handler
   */
  static HttpResponse.BodyHandler<byte[]> handler(int limit) {
    return info -> new BoundedBody(limit);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (b.remaining() > limit - buffer.size()) {
        result.completeExceptionally(new TooLarge(limit));
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
