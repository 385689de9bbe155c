package io.soulgraph.relay.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An in-memory transport: one direction of a connection between two sync cores. Frames are handed
 * to the far end in order on one thread (as a socket would), and kept for the test to inspect.
 */
final class MemoryLink implements Link {

  private final String name;
  private final ExecutorService wire;
  private final List<String> frames = new CopyOnWriteArrayList<>();
  private volatile Consumer<String> farEnd;
  private volatile Runnable onDisconnect = () -> {};
  private volatile Disconnect disconnected;

  MemoryLink(String name) {
    this.name = name;
    this.wire = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "memory-link " + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Connects two cores: returns {@code [session at a for b, session at b for a]}. */
  static Session[] connect(SyncCore a, Role aSeesB, SyncCore b, Role bSeesA) {
    MemoryLink toB = new MemoryLink("a->b");
    MemoryLink toA = new MemoryLink("b->a");
    Session atA = a.open(toB, aSeesB);
    Session atB = b.open(toA, bSeesA);
    toB.farEnd = frame -> b.receive(atB, frame);
    toA.farEnd = frame -> a.receive(atA, frame);
    toB.onDisconnect = () -> { a.close(atA); b.close(atB); };
    toA.onDisconnect = () -> { a.close(atA); b.close(atB); };
    toB.release();
    toA.release();
    return new Session[] {atA, atB};
  }

  private final Object gate = new Object();
  private boolean released;

  private void release() {
    synchronized (gate) {
      released = true;
      gate.notifyAll();
    }
  }

  private void awaitRelease() {
    synchronized (gate) {
      while (!released) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public String describe() {
    return "mem:" + name;
  }

  @Override
  public void write(String frame, Runnable written) {
    frames.add(frame);
    wire.execute(() -> {
      try {
        awaitRelease();
        if (disconnected == null) {
          farEnd.accept(frame);
        }
      } finally {
        written.run();
      }
    });
  }

  @Override
  public void disconnect(Disconnect reason, String text) {
    disconnected = reason;
    wire.execute(onDisconnect);
  }

  List<String> frames() {
    return frames;
  }

  Disconnect disconnected() {
    return disconnected;
  }

  void shutdown() {
    wire.shutdownNow();
  }
}
