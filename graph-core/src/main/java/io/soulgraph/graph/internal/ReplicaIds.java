package io.soulgraph.graph.internal;

import io.soulgraph.graph.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** A store's replica id: random, and kept in {@code <dataDir>/replica-id} when there is one. */
final class ReplicaIds {

  static final String FILE = "replica-id";

  private ReplicaIds() {}

  static String loadOrCreate(Path dataDir) {
    if (dataDir == null) {
      return fresh();
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (id.isEmpty()) {
          throw new StoreException("Expected a replica id in " + file + " but it is empty", null);
        }
        return id;
      }
      Files.createDirectories(dataDir);
      String id = fresh();
      Path tmp = dataDir.resolve(FILE + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new StoreException("Could not read or create the replica id in " + file, e);
    }
  }

  private static String fresh() {
    return UUID.randomUUID().toString();
  }
}
