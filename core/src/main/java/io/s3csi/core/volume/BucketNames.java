package io.s3csi.core.volume;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.regex.Pattern;

/** The S3 rules for bucket names (and the access point ARNs accepted in their place). */
final class BucketNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern ARN =
      Pattern.compile("arn:[a-z0-9-]+:s3(-outposts|-object-lambda)?:[a-z0-9-]*:\\d{12}:[\\w./:-]+");

  private BucketNames() {}

  static boolean isValid(String name) {
    return NAME.matcher(name).matches()
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !IP.matcher(name).matches();
  }

  static String check(String field, String value) {
    String name = value.strip();
    if (name.isEmpty()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
    if (ARN.matcher(name).matches() || isValid(name)) {
      return name;
    }
    throw new InvalidArgumentException(
        field,
        "'"
            + name
            + "' is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots"
            + " and hyphens, starting and ending with a letter or digit)");
  }
}
