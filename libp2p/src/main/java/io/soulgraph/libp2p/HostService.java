package io.soulgraph.libp2p;

import java.util.List;

/**
 * Something that runs on a host for its whole life, such as pubsub or peer discovery: it binds
 * its protocols before the host listens, starts once the host is up, and stops before the host
 * closes its connections. Register one with {@link HostBuilder#service(HostService)}.
 */
public interface HostService {
  /** The protocols to bind before the host starts listening (none by default). */
  default List<ProtocolBinding<?>> protocols() {
    return List.of();
  }

  /**
   * Called once, after the host listens. {@code identity} is the host's key, for services that
   * sign what they send (pubsub messages); it must not leave the service.
   */
  void start(Host host, Identity identity);

  /** Called once when the host closes, before its connections close. Must not throw. */
  void stop();
}
