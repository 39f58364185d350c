# Sourced by .ci/run and scripts/up.sh. redis_ping HOST PORT: true when a Redis answers PING there, asked over bash's
# /dev/tcp so that no redis-cli is needed to find out.
redis_ping() {
  local reply=''
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ $reply == +PONG* ]]
}
