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
 * @param prefix the prefix an option named ({@code prefix some/path/})
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
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:/@+,=%-]{1,256}");

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
    boolean readOnly = false;
    boolean readWrite = false;
    boolean pathStyle = false;
    Optional<String> region = Optional.empty();
    Optional<String> prefix = Optional.empty();
    for (Map.Entry<String, Optional<String>> entry : seen.entrySet()) {
      String name = entry.getKey();
      Optional<String> value = entry.getValue();
      if (OptionRules.READ_ONLY.contains(name)) {
        readOnly = flagValue(name, value);
      } else if (OptionRules.READ_WRITE.contains(name)) {
        readWrite = flagValue(name, value);
      } else if (OptionRules.PATH_STYLE.contains(name)) {
        pathStyle = flagValue(name, value);
      } else if (OptionRules.REGION.contains(name)) {
        region = Optional.of(required(name, value));
      } else if (OptionRules.PREFIX.contains(name) && client == FuseClient.MOUNT_S3) {
        prefix = Optional.of(required(name, value));
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
    if (readOnly && readWrite) {
      throw new InvalidArgumentException(FIELD, "options 'ro' and 'rw' contradict each other");
    }
    return new MountOptions(client, kept, readOnly, region, prefix, pathStyle);
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
   * Splits flags into single options: {@code -o a,b} into {@code a} and {@code b}, and a
   * command-line run such as {@code --dir-mode 0777 --debug} into {@code --dir-mode 0777} and
   * {@code --debug}.
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
      if (flag.startsWith("-o ") || flag.startsWith("-o\t") || flag.equals("-o")) {
        for (String part : flag.substring(2).strip().split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
        continue;
      }
      String[] tokens = flag.split("\\s+");
      boolean pair = tokens.length == 2 && !tokens[0].contains("=");
      for (int i = 0; i < tokens.length; i++) {
        String token = tokens[i];
        boolean takesNext =
            (pair || token.startsWith("-"))
                && i + 1 < tokens.length
                && !tokens[i + 1].startsWith("-")
                && !token.contains("=");
        if (takesNext) {
          out.add(token + "=" + tokens[++i]);
        } else {
          out.add(token);
        }
      }
    }
    return out;
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
              + " ._:/@+,=%- only)");
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
