package io.s3csi.core.fuse;

import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.OptionRules.Arity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A volume's mount options, normalized and checked against the allow-list of its FUSE client.
 *
 * <p>Each CSI mount flag may be written {@code name value}, {@code name=value}, {@code --name},
 * {@code name} or, as s3fs users write, {@code -o a,b=c}; names may use hyphens or underscores.
 * They all mean the same; identical duplicates are merged and conflicting ones rejected. Options
 * that choose read-only, the region, the prefix or path-style addressing are lifted out into their
 * own fields, because the driver passes those to every client in its own way.
 *
 * @param client the client the options were checked for
 * @param options the remaining options, in first-seen order
 * @param readOnly whether an option asked for a read-only mount
 * @param region the region an option named ({@code region us-east-1}, as AWS's driver allows)
 * @param prefix the prefix an option named ({@code prefix some/path/}), normalized to end with
 *     {@code /}
 * @param pathStyle whether an option asked for path-style addressing
 */
public record MountOptions(
    FuseClient client,
    List<MountOption> options,
    boolean readOnly,
    Optional<String> region,
    Optional<String> prefix,
    boolean pathStyle) {

  /** The field name used in errors: a PersistentVolume's {@code mountOptions}. */
  public static final String FIELD = "mountOptions";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /**
   * Option values: no comma (s3fs reads {@code -o a=b,c} as two options, so a comma would smuggle
   * in a denied one) and no leading hyphen (a client would read the value as another flag).
   */
  private static final Pattern VALUE =
      Pattern.compile("[A-Za-z0-9._:/@+=%][A-Za-z0-9._:/@+=%-]{0,255}");

  private static final Pattern REGION_VALUE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Checks and copies. */
  public MountOptions {
    Objects.requireNonNull(client, "client");
    options = List.copyOf(options);
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(prefix, "prefix");
  }

  /** Returns no options for the client. */
  public static MountOptions none(FuseClient client) {
    return new MountOptions(client, List.of(), false, Optional.empty(), Optional.empty(), false);
  }

  /**
   * Normalizes and checks mount flags for a client.
   *
   * @param client the FUSE client that will receive the options
   * @param flags CSI mount flags, then any options given as a volume attribute
   * @return the normalized options
   * @throws InvalidArgumentException naming the option that is malformed, unknown, conflicting or
   *     not allowed, and why
   */
  public static MountOptions parse(FuseClient client, List<String> flags) {
    Map<String, Optional<String>> seen = new LinkedHashMap<>();
    for (String flag : split(flags)) {
      MountOption option = normalize(flag);
      Optional<String> previous = seen.putIfAbsent(option.name(), option.value());
      if (previous != null && !previous.equals(option.value())) {
        throw new InvalidArgumentException(
            FIELD, "option '" + option.name() + "' is given twice with different values");
      }
    }

    Map<String, Arity> allowed = OptionRules.allowed(client);
    List<MountOption> kept = new ArrayList<>();
    Optional<Boolean> readOnly = Optional.empty();
    Optional<Boolean> readWrite = Optional.empty();
    Optional<Boolean> pathStyle = Optional.empty();
    Optional<String> region = Optional.empty();
    Optional<String> prefix = Optional.empty();
    for (Map.Entry<String, Optional<String>> entry : seen.entrySet()) {
      String name = entry.getKey();
      Optional<String> value = entry.getValue();
      if (OptionRules.READ_ONLY.contains(name)) {
        readOnly = merge(name, readOnly, flagValue(name, value));
      } else if (OptionRules.READ_WRITE.contains(name)) {
        readWrite = merge(name, readWrite, flagValue(name, value));
      } else if (OptionRules.PATH_STYLE.contains(name)) {
        pathStyle = merge(name, pathStyle, flagValue(name, value));
      } else if (OptionRules.REGION.contains(name)) {
        region = merge(name, region, region(name, required(name, value)));
      } else if (OptionRules.PREFIX.contains(name) && client == FuseClient.MOUNT_S3) {
        prefix = Optional.of(prefix(name, required(name, value)));
      } else if (OptionRules.DENIED.containsKey(name)) {
        throw new InvalidArgumentException(
            FIELD, "option '" + name + "' is not allowed: " + OptionRules.DENIED.get(name));
      } else if (allowed.containsKey(name)) {
        checkArity(name, value, allowed.get(name));
        kept.add(new MountOption(name, value));
      } else {
        throw new InvalidArgumentException(
            FIELD,
            "option '"
                + name
                + "' is not an option s3csi passes to "
                + client.id()
                + "; allowed: "
                + String.join(", ", new TreeSet<>(allowed.keySet())));
      }
    }
    if (readOnly.orElse(false) && readWrite.orElse(false)) {
      throw new InvalidArgumentException(FIELD, "options 'ro' and 'rw' contradict each other");
    }
    return new MountOptions(
        client, kept, readOnly.orElse(false), region, prefix, pathStyle.orElse(false));
  }

  /** Returns the value of an option, or empty when it is absent or a flag. */
  public Optional<String> value(String name) {
    return options.stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .flatMap(MountOption::value);
  }

  /** Returns whether an option is present. */
  public boolean has(String name) {
    return options.stream().anyMatch(o -> o.name().equals(name));
  }

  /**
   * Splits flags into single options. A flag is one option ({@code uid=1000}, {@code
   * --allow-delete}, {@code region us-east-1}) or a command-line run such as {@code --dir-mode 0777
   * --debug} or {@code -o allow_other -o uid=1000}: a {@code -o} takes the comma-separated list
   * after it, and a dashed name without {@code =} takes the next word as its value unless that word
   * is dashed too.
   */
  private static List<String> split(List<String> flags) {
    List<String> out = new ArrayList<>();
    for (String raw : flags) {
      if (raw == null) {
        continue;
      }
      if (raw.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
        throw new InvalidArgumentException(
            FIELD, "an option contains a newline or NUL character, which is never allowed");
      }
      String flag = raw.strip();
      if (flag.isEmpty()) {
        continue;
      }
      String[] tokens = flag.split("\\s+");
      if (tokens.length == 2 && isWord(tokens[0]) && isWord(tokens[1])) {
        out.add(tokens[0] + "=" + tokens[1]); // "region us-east-1", as AWS's driver writes it
        continue;
      }
      for (int i = 0; i < tokens.length; i++) {
        String token = tokens[i];
        boolean valueFollows = i + 1 < tokens.length && !tokens[i + 1].startsWith("-");
        if (token.equals("-o")) {
          if (valueFollows) {
            for (String part : tokens[++i].split(",")) {
              if (!part.isEmpty()) {
                out.add(part);
              }
            }
          }
        } else if (token.startsWith("-") && !token.contains("=") && valueFollows) {
          out.add(token + "=" + tokens[++i]);
        } else {
          out.add(token);
        }
      }
    }
    return out;
  }

  /** A bare word: no leading dash, no {@code =}. */
  private static boolean isWord(String token) {
    return !token.startsWith("-") && !token.contains("=");
  }

  private static MountOption normalize(String flag) {
    int eq = flag.indexOf('=');
    String rawName = eq < 0 ? flag : flag.substring(0, eq);
    Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(flag.substring(eq + 1));
    String name = rawName;
    if (name.startsWith("--")) {
      name = name.substring(2);
    } else if (name.startsWith("-")) {
      name = name.substring(1);
    }
    name = name.toLowerCase(Locale.ROOT).replace('_', '-');
    if (!NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          FIELD, "option '" + rawName + "' is not a valid option name");
    }
    if (value.isPresent() && !VALUE.matcher(value.get()).matches()) {
      throw new InvalidArgumentException(
          FIELD,
          "option '"
              + name
              + "' has a value with characters that are not allowed (letters, digits and"
              + " ._:/@+=%- only, not starting with '-'; give several options as separate"
              + " entries or as -o a,b)");
    }
    return new MountOption(name, value);
  }

  private static boolean flagValue(String name, Optional<String> value) {
    if (value.isEmpty()) {
      return true;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new InvalidArgumentException(FIELD, "option '" + name + "' takes no value");
    };
  }

  /** Merges an option into the value its aliases set before, rejecting a contradiction. */
  private static <T> Optional<T> merge(String name, Optional<T> previous, T value) {
    if (previous.isPresent() && !previous.get().equals(value)) {
      throw new InvalidArgumentException(
          FIELD, "option '" + name + "' contradicts another option that means the same");
    }
    return Optional.of(value);
  }

  private static String region(String name, String value) {
    if (!REGION_VALUE.matcher(value).matches()) {
      throw new InvalidArgumentException(
          FIELD,
          "option '"
              + name
              + "' must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");
    }
    return value;
  }

  /** Normalizes a prefix as the volume attribute is: no leading slash, one trailing slash. */
  private static String prefix(String name, String value) {
    String prefix = value;
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    for (String segment : prefix.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidArgumentException(
            FIELD,
            "option '" + name + "' must be a key prefix without empty, '.' or '..' segments");
      }
    }
    return prefix + "/";
  }

  private static String required(String name, Optional<String> value) {
    return value.orElseThrow(
        () -> new InvalidArgumentException(FIELD, "option '" + name + "' needs a value"));
  }

  private static void checkArity(String name, Optional<String> value, Arity arity) {
    if (arity == Arity.FLAG && value.isPresent()) {
      throw new InvalidArgumentException(FIELD, "option '" + name + "' takes no value");
    }
    if (arity == Arity.VALUE && value.isEmpty()) {
      throw new InvalidArgumentException(FIELD, "option '" + name + "' needs a value");
    }
  }
}
