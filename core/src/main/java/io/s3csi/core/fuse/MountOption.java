package io.s3csi.core.fuse;

import java.util.Objects;
import java.util.Optional;

/**
 * One normalized mount option: a lowercase name with hyphens ({@code allow-other}, whatever the
 * spelling it came in) and an optional value.
 *
 * @param name the normalized name
 * @param value the value, for options that take one
 */
public record MountOption(String name, Optional<String> value) {

  /** Checks for nulls. */
  public MountOption {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** Returns the name with underscores, as s3fs spells it ({@code allow_other}). */
  public String underscoredName() {
    return name.replace('-', '_');
  }

  @Override
  public String toString() {
    return value.map(v -> name + "=" + v).orElse(name);
  }
}
