package io.s3csi.launcher;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code s3csi completion}: prints the bash (and zsh) completion script of every command. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints a bash completion script for s3csi, generated from its commands and options.",
      "Use it with: source <(s3csi completion), or save it as"
          + " /etc/bash_completion.d/s3csi. zsh can load it after 'autoload -U bashcompinit &&"
          + " bashcompinit'."
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), root));
    spec.commandLine().getOut().flush();
    return S3csi.EXIT_OK;
  }
}
