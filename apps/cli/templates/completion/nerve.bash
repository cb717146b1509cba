# nerve shell completion for bash.
#   source <(nerve completion bash)                                            this shell
#   nerve completion bash > ~/.local/share/bash-completion/completions/nerve   every new shell
#
# Asks `nerve __complete -- <words up to the cursor>`, which prints one candidate per line
# (word<TAB>description), or the single line ":dirs" for "complete a folder name".
_nerve_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" line
  local -a lines=()
  while IFS= read -r line; do
    lines+=("$line")
  done < <(nerve __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=()
  if [[ ${#lines[@]} -eq 1 && "${lines[0]}" == ":dirs" ]]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do
      COMPREPLY+=("$line")
    done < <(compgen -d -- "$cur")
    return 0
  fi
  for line in "${lines[@]}"; do
    COMPREPLY+=("${line%%$'\t'*}")
  done
}
complete -F _nerve_complete nerve
