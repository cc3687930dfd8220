#!/bin/sh
# Blocks any Bash command that talks to Railway's GraphQL API, however it is wrapped.
input=$(cat)
case "$input" in
  *backboard.railway.*) echo "the Railway API is off limits to the agent" >&2; exit 2 ;;
esac
exit 0
