# gitcrq exec-agent: the run of exec {{execId}} for {{crqId}} (generated; runs once)
# script ran this with bash as its SHELL: the command gets the pane's own back.
if [ -n "${GITCRQ_USER_SHELL+set}" ]; then
    if [ -n "$GITCRQ_USER_SHELL" ]; then export SHELL="$GITCRQ_USER_SHELL"; else unset SHELL; fi
    unset GITCRQ_USER_SHELL
fi
log={{log}}
command={{command}}
# What runs: read once from the agent's private file (the command may hold a secret; this script only names it).
argv=()
while IFS= read -r -d '' word; do argv+=("$word"); done < {{argvFile}}
rm -f -- {{argvFile}}
pid_file={{pidFile}}
exec_env=({{env}})
tracer=({{tracer}})
cgroup_procs={{cgroupProcs}}
go_file={{goFile}}
go_wait={{goSeconds}}
if [ "$go_wait" != 0 ]; then
    rm -f -- "$go_file" "$go_file.missed"
    mkfifo -m 600 -- "$go_file" || { go_wait=0; : > "$go_file.missed"; }
fi
secrets={{secretsFile}}
if [ -e "$secrets" ]; then
    while IFS= read -r -d '' assignment; do export "$assignment"; done < "$secrets"
    rm -f -- "$secrets"
fi
: >> "$log"
if ! cd -- {{cwd}}; then
    echo "exec-agent: cannot enter "{{cwd}} | tee -a -- "$log"
    exit 1
fi
printf '\033[1m[%s %s] $ %s\033[0m\n' {{crqId}} {{execId}} "$command"
# The command's shell joins the command's own cgroup if it has one (what the network source and the process
# source with eBPF capture by),
# notes its pid (the root of what a timeout kills), waits for the agent's tracer if one is to attach (read
# on the FIFO, opened read-write so that opening never blocks; builtins only, so nothing it runs shows up
# in the trace), then becomes the command — under its tracer's strace when one follows it from its start
# (strace, in the same pid, then is the root).
bash -c 'if [ -n "$3" ] && ! printf "%s\n" "$$" 2>/dev/null > "$3"; then
        echo "exec-agent: cannot join the command'"'"'s cgroup: its processes and network traffic are not captured" >&2
    fi
    printf "%s\n" "$$" > "$0"
    if [ "$1" != 0 ]; then
        exec 3<> "$2"; read -r -t "$1" -u 3 _ || : > "$2.missed"; exec 3<&-
    fi
    shift 3; exec "$@"' "$pid_file" "$go_wait" "$go_file" "$cgroup_procs" "${tracer[@]}" env -- "${exec_env[@]}" \
    "${argv[@]}" {{toLog}}
exit {{status}}
