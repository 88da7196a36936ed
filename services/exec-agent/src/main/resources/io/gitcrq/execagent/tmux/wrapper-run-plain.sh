bash {{runScript}}
status=$?
