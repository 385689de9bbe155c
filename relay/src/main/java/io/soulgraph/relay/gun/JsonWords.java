package io.soulgraph.relay.gun;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Says what is wrong with a frame in the words of the JSON its sender wrote ("a string", "ends
 * early at character 12"), never in the parser's (token names, Jackson's constraint classes).
 */
final class JsonWords {

  private JsonWords() {}

  /** What a JSON value is, as a JavaScript developer would say it. */
  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case BINARY, MISSING -> "nothing";
    };
  }

  /** Why a frame is not JSON, naming the character where reading stopped. */
  static String parseProblem(JsonProcessingException e, String frame, int maxDepth) {
    if (e instanceof StreamConstraintsException) {
      String message = String.valueOf(e.getOriginalMessage());
      if (message.contains("nesting")) {
        return "Expected JSON nesting at most " + maxDepth + " levels deep but the frame goes deeper";
      }
      return "Expected a frame within the relay's limits but one of its values is too long";
    }
    String at = position(e.getLocation(), frame);
    String original = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
    if (original.contains("end-of-input")) {
      return "Expected complete JSON but the frame ends early, after character " + frame.length();
    }
    if (original.contains("trailing token")) {
      return "Expected one JSON value but the frame goes on after it" + at;
    }
    return "Expected JSON but the frame is not valid JSON" + at;
  }

  private static String position(JsonLocation location, String frame) {
    if (location == null || location.getColumnNr() < 1) {
      return "";
    }
    long offset = location.getCharOffset();
    int index = offset >= 0 ? (int) offset : location.getColumnNr() - 1;
    String found =
        index >= 0 && index < frame.length() && !Character.isISOControl(frame.charAt(index))
            ? " ('" + frame.charAt(index) + "')"
            : "";
    return " at character " + (index + 1) + found;
  }
}
