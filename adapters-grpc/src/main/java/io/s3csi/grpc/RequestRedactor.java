package io.s3csi.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.s3csi.grpc.csi.v1.Csi;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a CSI message as one line of text for logs, with every secret replaced by {@value
 * #REDACTED}.
 *
 * <p>Redacted are: every field the CSI specification marks {@code [(csi.v1.csi_secret) = true]}
 * (for a map field each value, keeping the keys so a log still shows which secrets were passed),
 * and in any map the entries whose key names a credential Kubernetes passes outside {@code
 * secrets}, such as the pod's service-account tokens in {@code volume_context}. Unknown fields (for
 * example from a newer CSI version) are never rendered, because whether they are secret cannot be
 * known.
 *
 * <p>The output resembles protobuf text format ({@code {volume_id: "v1", secrets: {"key": "***"}}})
 * but is meant for humans; it is not parseable and not stable.
 */
final class RequestRedactor {

  /** What every secret value is rendered as. */
  static final String REDACTED = "***";

  /** Map keys whose values are credentials even though their field is not marked secret. */
  static final Set<String> SECRET_MAP_KEYS = Set.of("csi.storage.k8s.io/serviceAccount.tokens");

  /**
   * Renders {@code message} with its secrets redacted.
   *
   * @param message any protobuf message; CSI messages carry the secret markers
   * @return a single line of text that contains no secret value
   */
  String render(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder();
    appendMessage(out, message);
    return out.toString();
  }

  /**
   * Tells whether the CSI specification marks a field as carrying secrets.
   *
   * @param field any field descriptor
   * @return true if the field's options carry {@code (csi.v1.csi_secret) = true}
   */
  static boolean isSecret(FieldDescriptor field) {
    return field.getOptions().getExtension(Csi.csiSecret);
  }

  private void appendMessage(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    // getAllFields() lists only the set fields, in field-number order, and never unknown fields.
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      FieldDescriptor field = entry.getKey();
      out.append(field.getName()).append(": ");
      appendField(out, field, entry.getValue(), isSecret(field));
    }
    out.append('}');
  }

  private void appendField(StringBuilder out, FieldDescriptor field, Object value, boolean secret) {
    if (field.isMapField()) {
      appendMap(out, (List<?>) value, secret);
    } else if (field.isRepeated()) {
      out.append('[');
      List<?> values = (List<?>) value;
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        appendValue(out, field, values.get(i), secret);
      }
      out.append(']');
    } else {
      appendValue(out, field, value, secret);
    }
  }

  private void appendMap(StringBuilder out, List<?> entries, boolean secret) {
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      Message entry = (Message) entries.get(i);
      FieldDescriptor keyField = entry.getDescriptorForType().findFieldByNumber(1);
      FieldDescriptor valueField = entry.getDescriptorForType().findFieldByNumber(2);
      Object key = entry.getField(keyField);
      appendValue(out, keyField, key, false);
      out.append(": ");
      boolean secretValue = secret || SECRET_MAP_KEYS.contains(String.valueOf(key));
      appendValue(out, valueField, entry.getField(valueField), secretValue);
    }
    out.append('}');
  }

  private void appendValue(StringBuilder out, FieldDescriptor field, Object value, boolean secret) {
    if (secret) {
      out.append(REDACTED);
      return;
    }
    switch (field.getJavaType()) {
      case MESSAGE -> appendMessage(out, (MessageOrBuilder) value);
      case STRING -> appendQuoted(out, (String) value);
      case ENUM -> out.append(((EnumValueDescriptor) value).getName());
      case BYTE_STRING -> out.append('<').append(((ByteString) value).size()).append(" bytes>");
      default -> out.append(value);
    }
  }

  private static void appendQuoted(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
