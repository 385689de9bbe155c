package io.soulgraph.libp2p.internal.yamux;

import io.soulgraph.libp2p.Stream;
import java.util.List;

/** What a yamux session needs from its host to answer streams the remote opens. */
public interface StreamAcceptor {
  /** Protocol ids we answer (read at each proposal, so late registrations count). */
  List<String> protocols();

  /** A remote-opened stream agreed on {@code stream.protocolId()}: start its responder. */
  void accept(Stream stream);
}
