#!/bin/sh
# PreToolUse: refuse any Bash command that talks to Railway's API directly.
input=$(cat)
case "$input" in
  *backboard.railway.*)
    echo "blocked: direct calls to Railway's API go through the deploy pipeline" >&2
    exit 2
    ;;
esac
exit 0
