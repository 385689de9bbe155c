package io.soulgraph.relay.gremlin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tinkerpop.gremlin.server.channel.WebSocketChannelizer;
import org.apache.tinkerpop.gremlin.server.util.ServerGremlinExecutor;
import org.apache.tinkerpop.gremlin.util.Tokens;
import org.apache.tinkerpop.gremlin.util.message.RequestMessage;
import org.apache.tinkerpop.gremlin.util.message.ResponseMessage;
import org.apache.tinkerpop.gremlin.util.message.ResponseStatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gremlin Server's WebSocket pipeline with three guards of the relay's own: browser pages of
 * origins not allowed are refused at the handshake (a web page must not reach a local database);
 * every request passes {@link RequestPolicy} (traversals only) after authentication; and every
 * failed request is logged as one line (DEBUG for a client's mistake, WARN for a server error)
 * instead of TinkerPop's stack trace per query.
 */
public final class GuardedChannelizer extends WebSocketChannelizer {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedChannelizer.class);

  private OriginCheck originCheck;
  private PolicyHandler policyHandler;
  private final FailureLog failureLog = new FailureLog();

  @Override
  public void init(ServerGremlinExecutor executor) {
    super.init(executor);
    GremlinConfig config = ((EndpointSettings) executor.getSettings()).config;
    Set<String> allowed = new HashSet<>(config.allowedOrigins());
    // a native client that names the server itself as origin (some WebSocket stacks do) is no
    // web page: no page is served from the Gremlin port
    for (String self : List.of(config.host(), "127.0.0.1", "localhost", "[::1]")) {
      allowed.add("http://" + self + ":" + config.port());
    }
    originCheck = new OriginCheck(Set.copyOf(allowed));
    policyHandler = new PolicyHandler(new RequestPolicy(config.unsafeGroovy()));
  }

  @Override
  public void configure(ChannelPipeline pipeline) {
    super.configure(pipeline);
    pipeline.addAfter(PIPELINE_HTTP_AGGREGATOR, "soulgraph-origin-check", originCheck);
    pipeline.addLast("soulgraph-failure-log", failureLog);
    pipeline.addLast("soulgraph-request-policy", policyHandler);
  }

  /** Refuses a WebSocket handshake whose Origin header names a page not allowed. */
  @ChannelHandler.Sharable
  static final class OriginCheck extends ChannelInboundHandlerAdapter {

    private static final int MAX_WARNED_ORIGINS = 1000;
    private final Set<String> allowed;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    OriginCheck(Set<String> allowed) {
      this.allowed = allowed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowed.contains(origin.toLowerCase(java.util.Locale.ROOT))) {
          ReferenceCountUtil.release(msg);
          // WARN once per origin: a hostile page may retry in a loop
          boolean first = warned.size() < MAX_WARNED_ORIGINS && warned.add(origin);
          String line = "Refused a Gremlin WebSocket from a web page at {} (allow it with"
              + " --gremlin-allow-origin)";
          if (first) {
            LOG.warn(line, origin);
          } else {
            LOG.debug(line, origin);
          }
          FullHttpResponse response = new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
              Unpooled.copiedBuffer("Origin " + origin + " is not allowed to use this Gremlin"
                  + " endpoint\n", StandardCharsets.UTF_8));
          response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
          response.headers().setInt(
              HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
          return;
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Passes requests the policy accepts (perhaps rewritten), answers the others with 403. */
  @ChannelHandler.Sharable
  static final class PolicyHandler extends ChannelInboundHandlerAdapter {

    private final RequestPolicy policy;

    PolicyHandler(RequestPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof RequestMessage request)) {
        ctx.fireChannelRead(msg);
        return;
      }
      RequestPolicy.Verdict verdict = policy.check(request);
      if (verdict.refused()) {
        ctx.writeAndFlush(ResponseMessage.build(request)
            .code(ResponseStatusCode.FORBIDDEN)
            .statusMessage(verdict.refusal())
            .create());
        return;
      }
      ctx.fireChannelRead(verdict.request());
    }
  }

  /** One line per failed request. */
  @ChannelHandler.Sharable
  static final class FailureLog extends ChannelDuplexHandler {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      if (msg instanceof ResponseMessage response) {
        ResponseStatusCode code = response.getStatus().getCode();
        if (!code.isSuccess() && code != ResponseStatusCode.AUTHENTICATE) {
          boolean serverFault = (code == ResponseStatusCode.SERVER_ERROR
                  || code == ResponseStatusCode.SERVER_ERROR_TEMPORARY
                  || code == ResponseStatusCode.SERVER_ERROR_SERIALIZATION)
              && !isRefusal(response);
          String line = "Gremlin request " + response.getRequestId() + " failed ("
              + code + "): " + firstLine(response.getStatus().getMessage());
          if (serverFault) {
            LOG.warn(line);
          } else {
            LOG.debug(line);
          }
        }
      }
      super.write(ctx, msg, promise);
    }

    /** A traversal refused by the read-only strategies: the client's doing, not a fault. */
    private static boolean isRefusal(ResponseMessage response) {
      String names = String.valueOf(
          response.getStatus().getAttributes().get(Tokens.STATUS_ATTRIBUTE_EXCEPTIONS));
      return names.contains("VerificationException")
          || names.contains("UnsupportedOperationException");
    }

    private static String firstLine(String message) {
      return message == null ? "" : message.lines().findFirst().orElse("");
    }
  }
}
