package io.soulgraph.relay.gun;

/** Minimal named peers for unit tests of routing tables (they never carry frames). */
final class TestPeers {

  private TestPeers() {}

  static Peer named(String name) {
    PeerBudget budget = new PeerBudget(GunLimits.defaults(), System::nanoTime);
    return new Peer() {
      @Override
      public String id() {
        return name;
      }

      @Override
      public void send(String frame) {
        throw new UnsupportedOperationException("routing-table tests send nothing");
      }

      @Override
      public void close(int code, String reason) {
        throw new UnsupportedOperationException("routing-table tests close nothing");
      }

      @Override
      public boolean isRelay() {
        return false;
      }

      @Override
      public PeerBudget budget() {
        return budget;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
