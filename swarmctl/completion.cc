#include "swarmctl/completion.h"

#include "base/status.h"
#include "swarmctl/errors.h"

namespace swarm::ctl {
namespace {

// Bash's. COMP_WORDBREAKS splits "--for=condition=X" at each '=', so
// condition names complete after "condition=" as a word of their own.
constexpr char kBash[] = R"BASH(# swarmctl completion for bash.
# This shell:  source <(swarmctl completion bash)
# Every shell: swarmctl completion bash > /etc/bash_completion.d/swarmctl

# The names of drones, packages or releases ($1), from the controller, with the
# connection flags of the line being completed.
__swarmctl_names() {
  local -a conn=()
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      --server|--token|--token-file|--certificate-authority|--client-certificate|--client-key)
        conn+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}") ;;
    esac
  done
  "${COMP_WORDS[0]}" "${conn[@]}" get "$1" -o name 2>/dev/null | sed 's|^[a-z]*/||'
}

_swarmctl() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  local i verb="" words="" flags=""
  local global="--server --token --token-file --certificate-authority --client-certificate --client-key --help --version"
  # The verb: the first word that is neither a global flag nor its value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      --server|--token|--token-file|--certificate-authority|--client-certificate|--client-key) ((i++)) ;;
      -*) ;;
      *) verb="${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
    --token-file|--certificate-authority|--client-certificate|--client-key|-f|--filename)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --server|--token|--timeout) COMPREPLY=(); return ;;
    -o|--output) COMPREPLY=($(compgen -W "wide json yaml name" -- "$cur")); return ;;
    --dry-run) COMPREPLY=($(compgen -W "none server" -- "$cur")); return ;;
    --for)
      if [ "$verb" = wait ]; then
        COMPREPLY=($(compgen -W "condition=" -- "$cur"))
        compopt -o nospace 2>/dev/null
      else
        COMPREPLY=($(compgen -W "swarm/ $(__swarmctl_names drones | sed 's|^|drone/|') $(__swarmctl_names releases | sed 's|^|release/|')" -- "$cur"))
      fi
      return ;;
    =)
      if [ "$verb" = wait ] && [ "${COMP_WORDS[COMP_CWORD-2]}" = condition ]; then
        COMPREPLY=($(compgen -W "Converged QueueComplete QueueCurrent DronesReady Deployed TreeSynced SystemicFault Released" -- "$cur"))
        return
      fi ;;
  esac
  if [ -z "$verb" ]; then
    if [[ $cur == -* ]]; then words="$global"; else
      words="apply diff get describe status wait fresh cordon uncordon drain unground logs release promote rollback completion"
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  # The verb's arguments so far: the words after it that are no flags.
  local -a args=()
  for ((i = i + 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -o|--output|-f|--filename|--for|--timeout|--dry-run) ((i++)) ;;
      -*) ;;
      *) args+=("${COMP_WORDS[i]}") ;;
    esac
  done
  case "$verb" in
    apply) flags="-f --filename --dry-run" ;;
    diff) flags="-f --filename" ;;
    get)
      flags="-o --output -w --watch --for"
      if [ ${#args[@]} -eq 0 ]; then
        words="swarm drones packages events releases"
      elif [ ${#args[@]} -eq 1 ]; then
        case "${args[0]}" in
          drone|drones) words="$(__swarmctl_names drones)" ;;
          package|packages|pkg|pkgs) words="$(__swarmctl_names packages)" ;;
          release|releases) words="$(__swarmctl_names releases)" ;;
        esac
      fi ;;
    describe)
      if [ ${#args[@]} -eq 0 ]; then
        words="swarm drone release"
      elif [ ${#args[@]} -eq 1 ]; then
        case "${args[0]}" in
          drone|drones) words="$(__swarmctl_names drones)" ;;
          release|releases) words="$(__swarmctl_names releases)" ;;
        esac
      fi ;;
    wait) flags="--for --timeout" ;;
    cordon|uncordon|drain|unground) [ ${#args[@]} -eq 0 ] && words="$(__swarmctl_names drones)" ;;
    logs) [ ${#args[@]} -eq 0 ] && words="$(__swarmctl_names packages)" ;;
    release)
      [ ${#args[@]} -eq 0 ] && words="cut"
      [ "${args[0]}" = cut ] && flags="--wait" ;;
    promote) [ ${#args[@]} -eq 0 ] && words="$(__swarmctl_names releases)" ;;
    completion) [ ${#args[@]} -eq 0 ] && words="bash zsh" ;;
  esac
  if [[ $cur == -* ]]; then words="$flags --help"; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

complete -F _swarmctl swarmctl
)BASH";

// zsh runs bash's completion through its bashcompinit.
constexpr char kZshHead[] = R"ZSH(#compdef swarmctl
# swarmctl completion for zsh (bash's, through bashcompinit).
# This shell:  source <(swarmctl completion zsh)
# Every shell: swarmctl completion zsh > "${fpath[1]}/_swarmctl"
autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }
autoload -U +X bashcompinit && bashcompinit
)ZSH";

}  // namespace

int RunCompletion(const std::string& shell, std::ostream& out, std::ostream& err) {
  if (shell == "bash") {
    out << kBash;
  } else if (shell == "zsh") {
    out << kZshHead << kBash;
  } else {
    return Fail(err,
                InvalidArgument("no completion for shell \"" + shell + "\" (want bash or zsh)"),
                kExitUsage);
  }
  return kExitOk;
}

}  // namespace swarm::ctl
