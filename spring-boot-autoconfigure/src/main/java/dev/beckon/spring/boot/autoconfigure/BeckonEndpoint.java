package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.inbound.CaptureHandler;
import dev.beckon.spring.boot.ActivityHandler;
import java.io.IOException;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The inbound endpoint: reads the body (bounded: a declared or actual length above the limit is a
 * 413 before or while reading), lets core's {@link CaptureHandler} validate the token and capture
 * the reference, then calls the {@link ActivityHandler} bean and answers with its status. A refused
 * request (401, 400, 413) or a store failure (500) never reaches the handler; the answer has no
 * body, so nothing of a refusal's reason reaches the caller (it is logged at DEBUG).
 */
final class BeckonEndpoint implements HandlerFunction<ServerResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(BeckonEndpoint.class);

  private final CaptureHandler capture;
  private final ObjectProvider<ActivityHandler> handler;
  private final int maxBodyBytes;

  BeckonEndpoint(
      CaptureHandler capture, ObjectProvider<ActivityHandler> handler, int maxBodyBytes) {
    this.capture = capture;
    this.handler = handler;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public ServerResponse handle(ServerRequest request) throws IOException {
    OptionalLong declared = request.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
      LOG.debug("Refused an inbound request: Content-Length {} is over the limit", declared);
      return ServerResponse.status(413).build();
    }
    byte[] body = BoundedBody.read(request.servletRequest().getInputStream(), maxBodyBytes);
    if (body == null) {
      LOG.debug("Refused an inbound request: body over {} bytes", maxBodyBytes);
      return ServerResponse.status(413).build();
    }
    CaptureHandler.Result r = capture.handle(request.headers().firstHeader("Authorization"), body);
    if (r.status() != 200 || r.activity() == null) {
      LOG.debug("Inbound request answered {}: {}", r.status(), r.message());
      return ServerResponse.status(r.status()).build();
    }
    ActivityHandler h = handler.getIfAvailable();
    int status = h == null ? 200 : h.handle(r.activity(), r.reference(), r.outcome());
    if (status < 200 || status > 599) {
      LOG.warn("The ActivityHandler returned HTTP status {}: answering 500", status);
      status = 500;
    }
    return ServerResponse.status(status).build();
  }
}
