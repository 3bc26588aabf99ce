package io.s3csi.testkit.k8s;

/**
 * A core/v1 request path taken apart: {@code /api/v1/namespaces/NS/RESOURCE[/NAME]} or {@code
 * /api/v1/RESOURCE[/NAME]}.
 *
 * @param method the HTTP method
 * @param namespace the namespace, {@code null} for cluster-scoped paths
 * @param resource the plural resource name
 * @param name the object name, {@code null} for the collection
 */
record Route(String method, String namespace, String resource, String name) {

  /** Returns the route of a path, or {@code null} when it is not a core/v1 resource path. */
  static Route parse(String method, String path) {
    if (!path.startsWith("/api/v1/")) {
      return null;
    }
    String[] parts = path.substring("/api/v1/".length()).split("/");
    if (parts.length >= 3 && parts[0].equals("namespaces")) {
      return switch (parts.length) {
        case 3 -> new Route(method, parts[1], parts[2], null);
        case 4 -> new Route(method, parts[1], parts[2], parts[3]);
        default -> null;
      };
    }
    return switch (parts.length) {
      case 1 -> new Route(method, null, parts[0], null);
      case 2 -> new Route(method, null, parts[0], parts[1]);
      default -> null;
    };
  }

  /** The verb RBAC checks for this request. */
  String verb() {
    return switch (method) {
      case "GET" -> name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The API server's message for a request RBAC denies. */
  String forbidden() {
    return resource
        + (name == null ? "" : " \"" + name + "\"")
        + " is forbidden: User \"system:serviceaccount:fake:fake\" cannot "
        + verb()
        + " resource \""
        + resource
        + "\" in API group \"\""
        + (namespace == null ? " at the cluster scope" : " in the namespace \"" + namespace + "\"");
  }
}
