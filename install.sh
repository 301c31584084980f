#!/usr/bin/env bash
# Builds cmws with Maven and installs it under $CMWS_PREFIX (default ~/.local), without sudo:
#   bin/cmws                                   the launcher
#   lib/cmws/cmws.jar                          the whole tool, one jar
#   lib/cmws/cmws.jsa                          class-data-sharing archive: cold start-up in ~0.3 s
#   share/bash-completion/completions/cmws     bash completion (zsh: see the last message)
# Running it again replaces the installed files. All messages go to stderr.
#
#   CMWS_PREFIX   where to install (default: ~/.local)
#   CMWS_JAR      install this prebuilt jar instead of building
#   MVN           Maven command (default: mvn)
set -euo pipefail

CMWS_PREFIX="${CMWS_PREFIX:-$HOME/.local}"
CMWS_JAR="${CMWS_JAR:-}"
MVN="${MVN:-mvn}"
MIN_JAVA=17

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

java_bin="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi
command -v "$java_bin" >/dev/null 2>&1 || die "Java $MIN_JAVA or newer is required, and no 'java' is on PATH (or in JAVA_HOME)"
spec="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
major="${spec#1.}"
major="${major%%.*}"
case "$major" in
  ''|*[!0-9]*) die "could not read the Java version from '$java_bin' (got '$spec')" ;;
esac
[ "$major" -ge "$MIN_JAVA" ] || die "Java $MIN_JAVA or newer is required, found Java $spec at $(command -v "$java_bin")"

if [ -z "$CMWS_JAR" ]; then
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') is required to build cmws; install it (e.g. apt-get install maven) or set CMWS_JAR to a built cmws.jar"
  say "building with Maven (tests skipped; run 'mvn -B verify' for those)"
  if ! build_log="$(cd "$here" && "$MVN" -B -q -Dstyle.color=never -DskipTests package 2>&1)"; then
    printf '%s\n' "$build_log" >&2
    die "the Maven build failed (output above)"
  fi
  CMWS_JAR="$here/cli/target/cmws.jar"
fi
[ -f "$CMWS_JAR" ] || die "no jar at $CMWS_JAR"

bin="$CMWS_PREFIX/bin"
lib="$CMWS_PREFIX/lib/cmws"
completions="$CMWS_PREFIX/share/bash-completion/completions"
mkdir -p "$bin" "$lib" "$completions" || die "cannot create directories under $CMWS_PREFIX"

install -m 0644 "$CMWS_JAR" "$lib/cmws.jar.new" && mv -f "$lib/cmws.jar.new" "$lib/cmws.jar"
install -m 0755 "$here/src/dist/bin/cmws" "$bin/cmws.new" && mv -f "$bin/cmws.new" "$bin/cmws"
install -m 0644 "$here/completions/cmws.bash" "$completions/cmws"

# AppCDS: a training run (a throwaway hub on a free loopback port, the common client commands)
# records the classes they load; the launcher maps them from the archive instead of loading them.
rm -f "$lib/cmws.jsa"
say "creating the class-data-sharing archive (faster start-up)"
if ! cds_log="$("$java_bin" -XX:ArchiveClassesAtExit="$lib/cmws.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -cp "$lib/cmws.jar" io.cmws.cli.CdsTraining 2>&1)" || [ ! -s "$lib/cmws.jsa" ]; then
  rm -f "$lib/cmws.jsa"
  say "warning: no class-data-sharing archive, cmws works but starts slower: $cds_log"
fi

version="$("$bin/cmws" --version)" || die "the installed launcher does not run"
say "installed $version to $bin/cmws"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) say "add it to your PATH:  export PATH=\"$bin:\$PATH\"   (in ~/.bashrc or ~/.zshrc)" ;;
esac
say "completion: bash-completion loads $completions/cmws; for zsh add  source $completions/cmws  to ~/.zshrc"
