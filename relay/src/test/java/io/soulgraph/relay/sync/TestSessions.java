package io.soulgraph.relay.sync;

/** Minimal named sessions for unit tests of routing tables (they never carry frames). */
final class TestSessions {

  private TestSessions() {}

  static Session named(String name) {
    return new Session(
        new Link() {
          @Override
          public String describe() {
            return name;
          }

          @Override
          public void write(String frame, Runnable written) {
            throw new UnsupportedOperationException("routing-table tests send nothing");
          }

          @Override
          public void disconnect(Disconnect reason, String text) {
            throw new UnsupportedOperationException("routing-table tests close nothing");
          }
        },
        Role.CLIENT);
  }
}
