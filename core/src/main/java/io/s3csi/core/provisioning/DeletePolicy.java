package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;

/** What DeleteVolume does to a volume's data ({@code deletePolicy}). */
public enum DeletePolicy {
  /** Keep the bucket or prefix and every object in it; only the PersistentVolume goes away. */
  RETAIN("retain"),
  /**
   * Remove the bucket or prefix only when it holds no object; otherwise fail with {@code
   * FAILED_PRECONDITION} naming the object count, so the data is never removed by surprise.
   */
  DELETE_IF_EMPTY("deleteIfEmpty"),
  /** Remove every object (every version, where versioning is on), then the bucket. */
  DELETE("delete");

  private final String id;

  DeletePolicy(String id) {
    this.id = id;
  }

  /** Returns the parameter value ({@code retain}, {@code deleteIfEmpty}, {@code delete}). */
  public String id() {
    return id;
  }

  /**
   * Parses a policy, ignoring case.
   *
   * @param field the parameter named in the error
   * @param value the value
   * @return the policy
   * @throws InvalidArgumentException for any other value
   */
  public static DeletePolicy parse(String field, String value) {
    String name = value.strip();
    for (DeletePolicy policy : values()) {
      if (policy.id.equalsIgnoreCase(name)) {
        return policy;
      }
    }
    throw new InvalidArgumentException(
        field, "must be one of retain, deleteIfEmpty, delete (was '" + value + "')");
  }

  @Override
  public String toString() {
    return id;
  }
}
