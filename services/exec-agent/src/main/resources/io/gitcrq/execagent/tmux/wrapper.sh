# gitcrq exec-agent: exec {{execId}} for {{crqId}} (generated; runs once)
log={{log}}
exit_file={{exitFile}}
finish() {
    printf '%s\n' "$1" > "$exit_file.tmp" && mv -f -- "$exit_file.tmp" "$exit_file"
}
# Interrupted at the pane, or the pane closed: the status is recorded all the same.
trap 'finish 130; trap - INT HUP TERM; exec bash' INT
trap 'finish 129; exit 129' HUP
trap 'finish 143; exit 143' TERM
printf '\n'
{{run}}finish "$status"
trap - INT HUP TERM
exec bash
