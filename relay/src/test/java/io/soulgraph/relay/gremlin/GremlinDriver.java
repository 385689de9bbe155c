package io.soulgraph.relay.gremlin;

import java.io.IOException;
import java.net.ServerSocket;
import org.apache.tinkerpop.gremlin.driver.Client;
import org.apache.tinkerpop.gremlin.driver.Cluster;
import org.apache.tinkerpop.gremlin.driver.remote.DriverRemoteConnection;
import org.apache.tinkerpop.gremlin.process.traversal.AnonymousTraversalSource;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.io.binary.TypeSerializerRegistry;
import org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1;
import org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry;

/**
 * The Java gremlin-driver connected to a Gremlin endpoint on 127.0.0.1, as graph tooling would
 * connect: GraphBinary with JanusGraph's types, a script client and a bytecode source {@code g}.
 * Closing it closes all three.
 */
public final class GremlinDriver implements AutoCloseable {
  private final Cluster cluster;
  private final Client client;
  private final GraphTraversalSource g;

  private GremlinDriver(Cluster cluster) {
    this.cluster = cluster;
    this.client = cluster.connect();
    this.g = AnonymousTraversalSource.traversal()
        .withRemote(DriverRemoteConnection.using(cluster, "g"));
  }

  public static GremlinDriver connect(int port) {
    return new GremlinDriver(
        Cluster.build("127.0.0.1").port(port).serializer(serializer()).create());
  }

  /** GraphBinary that knows JanusGraph's types (relation ids), as the endpoint speaks it. */
  public static GraphBinaryMessageSerializerV1 serializer() {
    return new GraphBinaryMessageSerializerV1(
        TypeSerializerRegistry.build().addRegistry(JanusGraphIoRegistry.instance()).create());
  }

  /** A port free on this machine now, for an endpoint to bind. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public Cluster cluster() {
    return cluster;
  }

  public Client client() {
    return client;
  }

  public GraphTraversalSource g() {
    return g;
  }

  @Override
  public void close() throws Exception {
    g.close();
    client.close();
    cluster.close();
  }
}
