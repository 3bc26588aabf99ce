package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A template for a volume's name ({@code nameTemplate}): literal text and the variables {@code
 * ${pv.name}}, {@code ${pvc.name}} and {@code ${pvc.namespace}}. The external-provisioner sends the
 * PVC's name and namespace when it runs with {@code --extra-create-metadata}; {@code ${pv.name}} is
 * the CSI volume name ({@code pvc-<uid>}), always known.
 *
 * @param text the template as written
 */
public record NameTemplate(String text) {

  static final String PV_NAME = "pv.name";
  static final String PVC_NAME = "pvc.name";
  static final String PVC_NAMESPACE = "pvc.namespace";
  private static final List<String> VARIABLES = List.of(PV_NAME, PVC_NAME, PVC_NAMESPACE);
  private static final int MAX_LENGTH = 256;

  /** The default template: the CSI volume name, unique per PersistentVolume. */
  public static final NameTemplate DEFAULT = new NameTemplate("${pv.name}");

  /** Checks the syntax: known variables only, at least one of them. */
  public NameTemplate {
    Objects.requireNonNull(text, "text");
    parts(StorageClassParameters.NAME_TEMPLATE, text);
  }

  /**
   * Parses a template.
   *
   * @param field the parameter named in errors
   * @param value the template
   * @return the template
   * @throws InvalidArgumentException for an unknown or unterminated variable, or no variable
   */
  public static NameTemplate parse(String field, String value) {
    parts(field, value);
    return new NameTemplate(value.strip());
  }

  /**
   * Renders the template.
   *
   * @param pvName the CSI volume name
   * @param pvcName the PVC's name, when the provisioner sent it
   * @param pvcNamespace the PVC's namespace, when the provisioner sent it
   * @return the rendered text
   * @throws InvalidArgumentException when the template uses a PVC variable the request lacks
   */
  public String render(String pvName, Optional<String> pvcName, Optional<String> pvcNamespace) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts(StorageClassParameters.NAME_TEMPLATE, text)) {
      if (part.variable()) {
        out.append(
            switch (part.text()) {
              case PV_NAME -> pvName;
              case PVC_NAME -> pvcName.orElseThrow(() -> missing(part.text(), "pvc/name"));
              default -> pvcNamespace.orElseThrow(() -> missing(part.text(), "pvc/namespace"));
            });
      } else {
        out.append(part.text());
      }
    }
    return out.toString();
  }

  private static InvalidArgumentException missing(String variable, String key) {
    return new InvalidArgumentException(
        StorageClassParameters.NAME_TEMPLATE,
        "uses ${"
            + variable
            + "} but the request carries no csi.storage.k8s.io/"
            + key
            + "; run the csi-provisioner sidecar with --extra-create-metadata");
  }

  private record Part(String text, boolean variable) {}

  private static List<Part> parts(String field, String template) {
    String value = template.strip();
    if (value.isEmpty()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidArgumentException(field, "must be at most " + MAX_LENGTH + " characters");
    }
    List<Part> parts = new ArrayList<>();
    int at = 0;
    boolean hasVariable = false;
    while (at < value.length()) {
      int open = value.indexOf("${", at);
      if (open < 0) {
        parts.add(new Part(value.substring(at), false));
        break;
      }
      if (open > at) {
        parts.add(new Part(value.substring(at, open), false));
      }
      int close = value.indexOf('}', open);
      if (close < 0) {
        throw new InvalidArgumentException(
            field, "has an unterminated variable at position " + open + ": '" + value + "'");
      }
      String name = value.substring(open + 2, close).strip();
      if (!VARIABLES.contains(name)) {
        throw new InvalidArgumentException(
            field,
            "unknown variable ${"
                + name
                + "}; known variables are ${pv.name}, ${pvc.name} and ${pvc.namespace}");
      }
      parts.add(new Part(name, true));
      hasVariable = true;
      at = close + 1;
    }
    if (!hasVariable) {
      throw new InvalidArgumentException(
          field,
          "must use ${pv.name}, ${pvc.name} or ${pvc.namespace}; a constant name would give every"
              + " volume the same bucket or prefix");
    }
    return parts;
  }
}
