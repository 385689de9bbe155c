package io.soulgraph.relay.gun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soulgraph.ham.Graph;
import io.soulgraph.ham.Node;
import io.soulgraph.ham.Value;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class GunCodecTest {

  private final GunCodec codec = new GunCodec(GunLimits.defaults());

  private GunMessage decodeOne(String frame) {
    List<ObjectNode> messages = codec.decodeFrame(frame);
    assertEquals(1, messages.size());
    return codec.decode(messages.get(0), "fresh0001");
  }

  private GetRequest getOf(String frame) {
    return ((GunMessage.Get) decodeOne(frame)).request();
  }

  @Test
  void decode_classifiesEachMessageIntoOneKind() {
    assertTrue(decodeOne("{\"#\":\"a\",\"put\":{}}") instanceof GunMessage.Put);
    assertTrue(decodeOne("{\"#\":\"a\",\"get\":{\"#\":\"n\"}}") instanceof GunMessage.Get);
    GunMessage hello =
        decodeOne("{\"#\":\"a\",\"dam\":\"?\",\"sg\":{\"v\":1,\"network\":\"n1\"}}");
    assertEquals("n1", ((GunMessage.Dam) hello).network());
    assertTrue(decodeOne("{\"#\":\"a\",\"@\":\"b\",\"ok\":1}") instanceof GunMessage.Reply);
    assertTrue(decodeOne("{\"#\":\"a\",\"ae\":\"ok\",\"@\":\"b\"}")
        instanceof GunMessage.AntiEntropy);
    assertTrue(decodeOne("{\"#\":\"a\"}") instanceof GunMessage.Other);
    assertThrows(GunException.BadFrame.class,
        () -> decodeOne("{\"#\":\"a\",\"dam\":\"?\",\"sg\":{\"v\":1}}"));
  }

  @Test
  void decodeFrame_emptyArray_isHeartbeatWithNoMessages() {
    assertTrue(codec.decodeFrame("[]").isEmpty());
  }

  @Test
  void decodeFrame_arrayOfTwo_keepsOrder() {
    List<ObjectNode> messages =
        codec.decodeFrame(
            "[{\"#\":\"b1\",\"get\":{\"#\":\"n\"}},{\"#\":\"b2\",\"get\":{\"#\":\"m\"}}]");
    assertEquals("b1", messages.get(0).get("#").textValue());
    assertEquals("b2", messages.get(1).get("#").textValue());
  }

  @Test
  void decodeFrame_truncatedArray_isBadFrame() {
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame("[{\"#\":\"x\""));
  }

  @Test
  void decodeFrame_notJson_isBadFrame() {
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame("hello"));
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame("{} trailing"));
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame("42"));
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame("[1,2]"));
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame(""));
  }

  @Test
  void decodeFrame_nestedDeeperThanLimit_isBadFrame() {
    String deep = "[".repeat(200) + "]".repeat(200);
    assertThrows(GunException.BadFrame.class, () -> codec.decodeFrame(deep));
  }

  @Test
  void decodeFrame_overSizeLimit_isLimitExceeded() {
    GunLimits small = new GunLimits(100, 64, 10, 10, 10, 10, 10, 10, 10, Duration.ofSeconds(9));
    GunCodec tight = new GunCodec(small);
    String big = "{\"#\":\"" + "x".repeat(200) + "\"}";
    assertThrows(GunException.LimitExceeded.class, () -> tight.decodeFrame(big));
  }

  @Test
  void decode_withoutId_getsFreshId() {
    GunMessage message = decodeOne("{\"get\":{\"#\":\"rawnode\",\".\":\"n\"}}");
    assertEquals("fresh0001", message.id());
    assertEquals(new GetRequest("rawnode", new GetRequest.Exact("n")),
        ((GunMessage.Get) message).request());
  }

  @Test
  void decode_lexField_selectsByPrefixAndRange() {
    GetRequest prefix = getOf("{\"#\":\"l1\",\"get\":{\"#\":\"n\",\".\":{\"*\":\"ap\"}}}");
    assertTrue(prefix.field().matches("apple"));
    assertTrue(!prefix.field().matches("banana"));
    GetRequest range = getOf("{\"#\":\"l2\",\"get\":{\"#\":\"n\",\".\":{\">\":\"b\"}}}");
    assertTrue(range.field().matches("banana"));
    assertTrue(!range.field().matches("apple"));
  }

  @Test
  void decode_lexSoul_isUnsupportedGet() {
    GunMessage message = decodeOne("{\"#\":\"l3\",\"get\":{\"#\":{\"*\":\"a\"}}}");
    assertTrue(message instanceof GunMessage.Get);
    assertNull(((GunMessage.Get) message).request());
  }

  @Test
  void decode_wrongTypes_areBadFrames() {
    for (String frame :
        List.of(
            "{\"#\":5,\"get\":{\"#\":\"n\"}}",
            "{\"#\":\"a\",\"@\":[1]}",
            "{\"#\":\"a\",\"get\":\"n\"}",
            "{\"#\":\"a\",\"get\":{\"#\":7}}",
            "{\"#\":\"a\",\"get\":{\"#\":\"n\",\".\":3}}",
            "{\"#\":\"a\",\"put\":\"x\"}",
            "{\"#\":\"a\",\"dam\":{}}")) {
      assertThrows(GunException.BadFrame.class, () -> decodeOne(frame), frame);
    }
  }

  @Test
  void encoders_writeGunShapes() {
    assertEquals("{\"#\":\"i\",\"@\":\"p\",\"ok\":1}", GunCodec.ack("i", "p"));
    assertEquals("{\"#\":\"i\",\"@\":\"g\"}", GunCodec.notFound("i", "g"));
    Graph graph = Graph.of(Node.empty("rawnode").with("hello", Value.of("world"), 1795287911420.0));
    assertEquals(
        "{\"#\":\"i\",\"##\":-1772828120,\"@\":\"g\",\"put\":" + GraphJson.write(graph) + "}",
        GunCodec.reply("i", "g", graph));
    assertEquals("{\"#\":\"i\",\"dam\":\"?\",\"pid\":\"p\",\"sg\":{\"v\":1,\"network\":\"n\"}}",
        GunCodec.hello("i", "p", "n"));
    assertEquals(
        "{\"#\":\"i\",\"@\":\"q\\\"\",\"err\":\"bad\\n\"}", GunCodec.error("i", "q\"", "bad\n"));
    assertEquals("{\"#\":\"i\",\"dam\":\"!\",\"err\":\"bad\"}", GunCodec.error("i", null, "bad"));
    assertEquals("[a,b]", GunCodec.batch(List.of("a", "b")));
  }
}
