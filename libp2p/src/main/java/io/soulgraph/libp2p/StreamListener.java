package io.soulgraph.libp2p;

/** Receives what arrives on a {@link Stream}; called on the connection's I/O thread. */
public interface StreamListener {
  /** Inbound bytes, in order; the array is the listener's to keep. */
  void onData(Stream stream, byte[] data);

  /** The remote half-closed: no more data will arrive (we may still write). */
  default void onRemoteClose(Stream stream) {}

  /** The stream was reset by either side, or its connection closed. */
  default void onReset(Stream stream) {}
}
