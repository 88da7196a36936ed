GITCRQ_USER_SHELL="${SHELL-}" SHELL="$BASH" script -q -f -e -m advanced -T {{timingFile}} -O {{typescriptFile}} -c {{scriptCommand}}
status=$?
if [ ! -e "$log" ]; then bash {{runScript}}; status=$?; fi
