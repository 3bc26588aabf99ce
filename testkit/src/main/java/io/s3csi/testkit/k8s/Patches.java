package io.s3csi.testkit.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON merge patch (RFC 7386, also used for strategic merge patches, whose list-merge keys the fake
 * does not model) and JSON patch (RFC 6902: add, remove, replace, test).
 */
final class Patches {
  private Patches() {}

  /** A patch that cannot be applied; the fake answers 422 with its message. */
  static final class PatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PatchException(String message) {
      super(message);
    }
  }

  /** Applies a merge patch to {@code target} and returns the result. */
  @SuppressWarnings("unchecked")
  static Object merge(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> patchMap)) {
      return Json.copy(patch);
    }
    Map<String, Object> result =
        target instanceof Map<?, ?> m
            ? (Map<String, Object>) Json.copy(m)
            : new LinkedHashMap<String, Object>();
    ((Map<String, Object>) patchMap)
        .forEach(
            (key, value) -> {
              if (value == null) {
                result.remove(key);
              } else {
                result.put(key, merge(result.get(key), value));
              }
            });
    return result;
  }

  /** Applies a JSON patch (a list of operations) to a copy of {@code target}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> jsonPatch(Map<String, Object> target, Object patch) {
    if (!(patch instanceof List<?> operations)) {
      throw new PatchException("a JSON patch must be an array of operations");
    }
    Map<String, Object> document = (Map<String, Object>) Json.copy(target);
    for (Object item : operations) {
      if (!(item instanceof Map<?, ?> operation)) {
        throw new PatchException("a JSON patch operation must be an object");
      }
      String op = String.valueOf(operation.get("op"));
      String path = String.valueOf(operation.get("path"));
      Object value = Json.copy(operation.get("value"));
      List<String> tokens = pointer(path);
      if (tokens.isEmpty()) {
        throw new PatchException("the fake does not patch the document root");
      }
      Object parent = resolve(document, tokens.subList(0, tokens.size() - 1), path);
      String last = tokens.get(tokens.size() - 1);
      switch (op) {
        case "test" -> {
          Object actual = child(parent, last, path);
          if (!Objects.equals(Json.write(actual), Json.write(value))) {
            throw new PatchException("test operation failed at " + path);
          }
        }
        case "remove" -> remove(parent, last, path);
        case "add" -> add(parent, last, value, path);
        case "replace" -> {
          remove(parent, last, path);
          add(parent, last, value, path);
        }
        default -> throw new PatchException("unsupported JSON patch op '" + op + "'");
      }
    }
    return document;
  }

  private static List<String> pointer(String path) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw new PatchException("path must start with '/': " + path);
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : path.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static Object resolve(Object document, List<String> tokens, String path) {
    Object current = document;
    for (String token : tokens) {
      current = child(current, token, path);
    }
    return current;
  }

  private static Object child(Object parent, String token, String path) {
    if (parent instanceof Map<?, ?> map) {
      if (!map.containsKey(token)) {
        throw new PatchException("path not found: " + path);
      }
      return map.get(token);
    }
    if (parent instanceof List<?> list) {
      int index = index(token, list.size() - 1, path);
      return list.get(index);
    }
    throw new PatchException("path not found: " + path);
  }

  @SuppressWarnings("unchecked")
  private static void remove(Object parent, String token, String path) {
    if (parent instanceof Map<?, ?> map) {
      if (!map.containsKey(token)) {
        throw new PatchException("path not found: " + path);
      }
      map.remove(token);
    } else if (parent instanceof List<?> list) {
      ((List<Object>) list).remove(index(token, list.size() - 1, path));
    } else {
      throw new PatchException("path not found: " + path);
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(Object parent, String token, Object value, String path) {
    if (parent instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put(token, value);
    } else if (parent instanceof List<?> list) {
      List<Object> items = (List<Object>) list;
      items.add(token.equals("-") ? items.size() : index(token, items.size(), path), value);
    } else {
      throw new PatchException("path not found: " + path);
    }
  }

  private static int index(String token, int max, String path) {
    try {
      int index = Integer.parseInt(token);
      if (index < 0 || index > max) {
        throw new PatchException("index out of range: " + path);
      }
      return index;
    } catch (NumberFormatException e) {
      throw new PatchException("not an array index: " + path);
    }
  }
}
