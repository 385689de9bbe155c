package io.soulgraph.libp2p.internal.host;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.soulgraph.libp2p.Libp2pException;
import io.soulgraph.libp2p.Libp2pException.InternalErrorException;
import io.soulgraph.libp2p.PeerId;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection's pipeline: any failure closes that connection (and only
 * that one), with one WARN line naming the peer. Peer misbehaviour is logged without a stack
 * trace; it is the peer's fault, not ours.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "guard";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private volatile PeerId peer;
  private volatile Throwable failure;
  private boolean reported;

  /** The failure that closed the connection, unwrapped, if one did. */
  Throwable failure() {
    return failure;
  }

  void peerKnown(PeerId p) {
    this.peer = p;
  }

  String peerName(ChannelHandlerContext ctx) {
    return (peer == null ? "unauthenticated peer" : peer.toString())
        + " at " + ctx.channel().remoteAddress();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (!reported) {
      reported = true;
      failure = root;
      if (root instanceof Libp2pException && !(root instanceof InternalErrorException)) {
        LOG.warn("closing connection to {}: {}", peerName(ctx), root.getMessage());
      } else if (root instanceof IOException) {
        LOG.debug("connection to {} failed: {}", peerName(ctx), root.toString());
      } else {
        LOG.warn("closing connection to {} after an internal error", peerName(ctx), root);
      }
    }
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // Nothing should reach the tail; release it so a stray buffer never leaks.
    io.netty.util.ReferenceCountUtil.release(msg);
  }
}
