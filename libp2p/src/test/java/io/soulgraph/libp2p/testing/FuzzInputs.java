package io.soulgraph.libp2p.testing;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.Random;
import org.quicktheories.core.Gen;

/** Inputs the fuzz tests feed to decoders and live hosts: random bytes and mutated valid frames. */
public final class FuzzInputs {
  private FuzzInputs() {}

  /** Random byte arrays of 0 to {@code max} bytes. */
  public static Gen<byte[]> bytes(int max) {
    return lists().of(integers().between(0, 255)).ofSizeBetween(0, max).map(l -> {
      byte[] b = new byte[l.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (int) l.get(i);
      }
      return b;
    });
  }

  /**
   * A copy of a valid message with 1 to {@code maxOverwrites} random bytes overwritten, and in one
   * case of four truncated, all chosen by a seed so a failure can be replayed.
   */
  public static byte[] mutate(byte[] valid, long seed, int maxOverwrites) {
    Random r = new Random(seed);
    byte[] b = valid.clone();
    for (int i = 0, n = 1 + r.nextInt(maxOverwrites); i < n; i++) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return r.nextInt(4) == 0 ? Arrays.copyOf(b, r.nextInt(b.length)) : b;
  }
}
