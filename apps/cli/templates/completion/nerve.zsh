#compdef nerve
# nerve shell completion for zsh.
#   source <(nerve completion zsh)                 this shell (after compinit)
#   nerve completion zsh > "${fpath[1]}/_nerve"    every new shell
#
# Asks `nerve __complete -- <words up to the cursor>`, which prints one candidate per line
# (word<TAB>description), or the single line ":dirs" for "complete a folder name".
_nerve() {
  local -a lines described
  local line
  lines=("${(@f)$(nerve __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ ${#lines} -eq 1 && "${lines[1]}" == ":dirs" ]]; then
    _files -/
    return
  fi
  for line in "${lines[@]}"; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == *$'\t'* ]]; then
      described+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    else
      described+=("${line//:/\\:}")
    fi
  done
  _describe -t values nerve described
}
if [[ "${funcstack[1]}" == "_nerve" ]]; then
  _nerve "$@"
else
  compdef _nerve nerve
fi
