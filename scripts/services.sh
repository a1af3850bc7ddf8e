#!/usr/bin/env bash
# Real services for integration tests, on loopback only, without Docker:
#   PostgreSQL 15 (Debian package), Kafka 4 single-node KRaft (Maven Central jars),
#   OPA (built with `go install`).
#
# Usage: scripts/services.sh up|down|status|kafka-start|kafka-stop|env
#   SERVICES=postgres,kafka,opa   subset to act on (default: all three)
#   SERVICES_HOME=...             cache/state dir (default: ~/.cache/compliance-ledger)
#
# Progress goes to stderr; `up` and `env` print only `export ...` on stdout, so
#   eval "$(scripts/services.sh up)"
# works.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVICES_HOME=${SERVICES_HOME:-$HOME/.cache/compliance-ledger}
SERVICES=${SERVICES:-postgres,kafka,opa}

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432

KAFKA_POM=$SCRIPT_DIR/kafka/pom.xml
KAFKA_DIR=$SERVICES_HOME/kafka
KAFKA_LIBS=$KAFKA_DIR/libs
KAFKA_DATA=$KAFKA_DIR/data
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093

OPA_VERSION=${OPA_VERSION:-v1.22.3}
OPA_DIR=$SERVICES_HOME/opa
OPA_BIN=$SERVICES_HOME/bin/opa
OPA_PORT=8181

DATABASE_URL=postgres://ledger:ledger@127.0.0.1:$PG_PORT/ledger_test
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
OPA_URL=http://127.0.0.1:$OPA_PORT

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
want() { [[ ",$SERVICES," == *",$1,"* ]]; }

# Plain TCP probe; loopback refuses closed ports at once, timeout guards the rest.
port_open() { timeout 2 bash -c ">/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}
need_cmd() { # need_cmd COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# Serialises concurrent runs. Re-execs under flock -o so the daemons started here do not inherit
# the lock fd (a postgres or broker holding it would block every later run).
with_lock() {
  if [ -z "${SERVICES_SH_LOCKED:-}" ]; then
    mkdir -p "$SERVICES_HOME"
    SERVICES_SH_LOCKED=1 exec flock -o -w 1200 -E 75 "$SERVICES_HOME/services.lock" "$SCRIPT_DIR/services.sh" "$@"
  fi
  unset SERVICES_SH_LOCKED # keep it out of the daemons' environment
}

# pid_alive PIDFILE PATTERN: the pid is running and its command line matches (guards pid reuse).
pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$2"* ]]
}

# stop_pid NAME PIDFILE PATTERN GRACE_SECONDS
stop_pid() {
  local name=$1 pidfile=$2 pattern=$3 grace=$4 pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    log "$name: already stopped"
    return 0
  fi
  pid=$(cat "$pidfile")
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 2; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: did not stop in ${grace}s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# ---------------------------------------------------------------- PostgreSQL

pg_running() { $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; }
pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 1
  else
    port_open "$PG_PORT"
  fi
}
as_postgres() { # runs from / so psql does not complain about an unreadable cwd
  (cd / && if [ "$(id -un)" = postgres ]; then "$@"; else $SUDO runuser -u postgres -- "$@"; fi)
}

pg_install() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]; then
    apt_install postgresql
  fi
  [ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] ||
    die "postgres: PostgreSQL $PG_VERSION binaries not found after install"
  if ! $SUDO pg_lsclusters -h | awk -v c="$PG_VERSION/$PG_CLUSTER" '$1 "/" $2 == c { f = 1 } END { exit !f }'; then
    log "postgres: creating cluster $PG_VERSION/$PG_CLUSTER"
    $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >&2
  fi
}

# Loopback only, fixed port, via a conf.d drop-in (Debian's postgresql.conf includes conf.d last).
# Returns 0 if the config changed.
pg_configure() {
  local changed=1 hba conf want
  conf=/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/compliance-ledger.conf
  want=$(printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PG_PORT")
  if [ "$($SUDO cat "$conf" 2>/dev/null || true)" != "$want" ]; then
    printf '%s\n' "$want" | $SUDO tee "$conf" >/dev/null
    changed=0
  fi
  # Debian's default pg_hba already has password auth for 127.0.0.1; add it if someone removed it.
  hba=/etc/postgresql/$PG_VERSION/$PG_CLUSTER/pg_hba.conf
  if ! $SUDO grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+(all|ledger)[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
    log "postgres: adding password auth for 127.0.0.1 to pg_hba.conf"
    $SUDO sed -i '1i host all ledger 127.0.0.1/32 scram-sha-256' "$hba"
    changed=0
  fi
  return $changed
}

pg_setup_db() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ledger') THEN
    CREATE ROLE ledger LOGIN SUPERUSER PASSWORD 'ledger';
  END IF;
END
$$;
SELECT 'CREATE DATABASE ledger OWNER ledger'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ledger') \gexec
SELECT 'CREATE DATABASE ledger_test OWNER ledger'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ledger_test') \gexec
SQL
}

pg_up() {
  local t0=$SECONDS i
  pg_install
  if pg_configure && pg_running; then
    log "postgres: config changed, restarting"
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
  fi
  if pg_running; then
    log "postgres: already running"
  elif port_open "$PG_PORT"; then
    die "postgres: port $PG_PORT is taken by another process"
  else
    log "postgres: starting cluster $PG_VERSION/$PG_CLUSTER"
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  for ((i = 0; i < 60; i++)); do
    pg_ready && break
    sleep 0.5
  done
  pg_ready || die "postgres: not accepting connections on 127.0.0.1:$PG_PORT"
  pg_setup_db
  PGPASSWORD=ledger psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U ledger -d ledger_test -c 'select 1' >/dev/null ||
    die "postgres: password login as ledger@127.0.0.1 failed"
  log "postgres: up on 127.0.0.1:$PG_PORT ($((SECONDS - t0))s)"
}

pg_down() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! pg_running; then
    log "postgres: already stopped"
    return 0
  fi
  log "postgres: stopping"
  $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
  log "postgres: stopped"
}

# --------------------------------------------------------------------- Kafka

kafka_java() {
  java -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -cp "$KAFKA_LIBS/*" "$@"
}

# Jars are re-copied only when the pom changes.
kafka_install() {
  local t0=$SECONDS stamp
  need_cmd java openjdk-17-jre-headless
  stamp=$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)
  if [ -f "$KAFKA_LIBS/.pom-sha256" ] && [ "$(cat "$KAFKA_LIBS/.pom-sha256")" = "$stamp" ]; then
    return 0
  fi
  need_cmd mvn maven
  log "kafka: fetching jars with Maven"
  mkdir -p "$KAFKA_DIR"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn -B -ntp -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.tmp" >"$KAFKA_DIR/mvn.log" 2>&1 || {
    tail -n 40 "$KAFKA_DIR/mvn.log" >&2
    die "kafka: Maven failed (log: $KAFKA_DIR/mvn.log)"
  }
  echo "$stamp" >"$KAFKA_LIBS.tmp/.pom-sha256"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  log "kafka: jars ready ($((SECONDS - t0))s)"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by scripts/services.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
  # Warnings only, on stderr (keeps tool stdout clean); keep the "started" line as a marker.
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
status = error
appender.out.type = Console
appender.out.name = OUT
appender.out.target = SYSTEM_ERR
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = OUT
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = info
EOF
}

# Static quorum (controller.quorum.voters), so no --standalone; formatted once.
kafka_format() {
  local cluster_id
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  if [ ! -s "$KAFKA_DIR/cluster-id" ]; then
    kafka_java kafka.tools.StorageTool random-uuid >"$KAFKA_DIR/cluster-id"
  fi
  cluster_id=$(cat "$KAFKA_DIR/cluster-id")
  log "kafka: formatting storage (cluster id $cluster_id)"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >&2
}

kafka_started() { grep -q 'Kafka Server started' "$KAFKA_DIR/kafka.log" 2>/dev/null && port_open "$KAFKA_PORT"; }
kafka_running() { pid_alive "$KAFKA_DIR/kafka.pid" kafka.Kafka; }

kafka_up() {
  local t0=$SECONDS pid i
  if kafka_running; then
    log "kafka: already running (pid $(cat "$KAFKA_DIR/kafka.pid"))"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    log "kafka: port $KAFKA_PORT is taken by another process; leaving it alone"
    return 0
  fi
  kafka_install
  kafka_write_config
  kafka_format
  if [ -f "$KAFKA_DIR/kafka.log" ]; then mv -f "$KAFKA_DIR/kafka.log" "$KAFKA_DIR/kafka.log.1"; fi
  log "kafka: starting"
  setsid nohup java -Xmx512m -Xms256m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
    </dev/null >"$KAFKA_DIR/kafka.log" 2>&1 &
  pid=$!
  echo "$pid" >"$KAFKA_DIR/kafka.pid"
  # The listener port is bound before the broker serves requests; the "started" line marks readiness.
  for ((i = 0; i < 120; i++)); do
    kafka_started && break
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$KAFKA_DIR/kafka.log" >&2 || true
      rm -f "$KAFKA_DIR/kafka.pid"
      die "kafka: broker exited during startup (log: $KAFKA_DIR/kafka.log)"
    fi
    sleep 0.5
  done
  kafka_started || {
    tail -n 30 "$KAFKA_DIR/kafka.log" >&2 || true
    die "kafka: broker not ready after 60s (log: $KAFKA_DIR/kafka.log)"
  }
  log "kafka: up on 127.0.0.1:$KAFKA_PORT, pid $pid ($((SECONDS - t0))s)"
}

kafka_down() { stop_pid kafka "$KAFKA_DIR/kafka.pid" kafka.Kafka 30; }

# ----------------------------------------------------------------------- OPA

# OPA needs a recent Go; a Go >= 1.21 fetches it by itself (GOTOOLCHAIN=auto, via the module proxy).
need_go() {
  local minor
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; fi
  need_cmd go golang-go
  minor=$(go version | sed -n 's/.* go1\.\([0-9]*\).*/\1/p')
  [ "${minor:-0}" -ge 21 ] || die "opa: Go >= 1.21 needed to build OPA $OPA_VERSION (found: $(go version))"
}

opa_installed() { [ -x "$OPA_BIN" ] && [ "$(cat "$OPA_BIN.version" 2>/dev/null || true)" = "$OPA_VERSION" ]; }

opa_install() {
  local t0=$SECONDS
  opa_installed && return 0
  need_go
  log "opa: go install github.com/open-policy-agent/opa@$OPA_VERSION (takes minutes on first run)"
  mkdir -p "$(dirname "$OPA_BIN")"
  GOBIN=$(dirname "$OPA_BIN") CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=${GOTOOLCHAIN:-auto} \
    go install -trimpath "github.com/open-policy-agent/opa@$OPA_VERSION" >&2
  echo "$OPA_VERSION" >"$OPA_BIN.version"
  log "opa: built ($((SECONDS - t0))s)"
}

# The build is slow and CPU-bound while the Maven step mostly waits on the network: overlap them.
# It runs in its own session so a failing `up` can stop the whole build (see cleanup).
OPA_INSTALL_PID=""
opa_install_bg() {
  opa_installed && return 0
  need_go
  mkdir -p "$OPA_DIR"
  log "opa: building in background (log: $OPA_DIR/install.log)"
  setsid -w "$SCRIPT_DIR/services.sh" _opa-install >"$OPA_DIR/install.log" 2>&1 &
  OPA_INSTALL_PID=$!
}
cleanup() {
  if [ -n "$OPA_INSTALL_PID" ]; then kill -- "-$OPA_INSTALL_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

opa_healthy() { curl -fsS -m 2 "$OPA_URL/health" >/dev/null 2>&1; }
opa_running() { pid_alive "$OPA_DIR/opa.pid" "$OPA_BIN"; }

opa_up() {
  local t0 pid i
  if [ -n "$OPA_INSTALL_PID" ]; then
    wait "$OPA_INSTALL_PID" || {
      tail -n 30 "$OPA_DIR/install.log" >&2 || true
      die "opa: go install failed (log: $OPA_DIR/install.log)"
    }
    OPA_INSTALL_PID=""
    grep -h '^\[services\]' "$OPA_DIR/install.log" >&2 || true
  fi
  t0=$SECONDS
  need_cmd curl curl
  if opa_running; then
    log "opa: already running (pid $(cat "$OPA_DIR/opa.pid"))"
    return 0
  fi
  if port_open "$OPA_PORT"; then
    log "opa: port $OPA_PORT is taken by another process; leaving it alone"
    return 0
  fi
  opa_install
  mkdir -p "$OPA_DIR"
  log "opa: starting"
  # Telemetry off: it would try to reach the internet.
  setsid nohup "$OPA_BIN" run --server --addr "127.0.0.1:$OPA_PORT" --log-level error --disable-telemetry \
    </dev/null >"$OPA_DIR/opa.log" 2>&1 &
  pid=$!
  echo "$pid" >"$OPA_DIR/opa.pid"
  for ((i = 0; i < 60; i++)); do
    opa_healthy && break
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$OPA_DIR/opa.log" >&2 || true
      rm -f "$OPA_DIR/opa.pid"
      die "opa: exited during startup (log: $OPA_DIR/opa.log)"
    fi
    sleep 0.5
  done
  opa_healthy || die "opa: /health not ready after 30s (log: $OPA_DIR/opa.log)"
  log "opa: up on 127.0.0.1:$OPA_PORT, pid $pid ($((SECONDS - t0))s)"
}

opa_down() { stop_pid opa "$OPA_DIR/opa.pid" "$OPA_BIN" 10; }

# ------------------------------------------------------------------- command

print_env() {
  echo "export DATABASE_URL=$DATABASE_URL KAFKA_BROKERS=$KAFKA_BROKERS OPA_URL=$OPA_URL"
}

status() {
  local rc=0
  if want postgres; then
    if pg_ready; then echo "postgres up   127.0.0.1:$PG_PORT"; else echo "postgres down"; rc=1; fi
  fi
  if want kafka; then
    if port_open "$KAFKA_PORT"; then echo "kafka    up   127.0.0.1:$KAFKA_PORT"; else echo "kafka    down"; rc=1; fi
  fi
  if want opa; then
    if opa_healthy; then echo "opa      up   127.0.0.1:$OPA_PORT"; else echo "opa      down"; rc=1; fi
  fi
  return $rc
}

usage() {
  echo "usage: $0 up|down|status|kafka-start|kafka-stop|env  (SERVICES=postgres,kafka,opa)" >&2
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    up)
      with_lock "$@"
      local t0=$SECONDS
      # Tools such as pg_ctlcluster print to stdout ("Removed stale pid file"); only the
      # export line may reach stdout, because callers eval it.
      {
        if want opa; then opa_install_bg; fi
        if want postgres; then pg_up; fi
        if want kafka; then kafka_up; fi
        if want opa; then opa_up; fi
      } >&2
      log "all up ($((SECONDS - t0))s)"
      print_env
      ;;
    down)
      with_lock "$@"
      if want opa; then opa_down; fi
      if want kafka; then kafka_down; fi
      if want postgres; then pg_down; fi
      ;;
    status) status ;;
    kafka-start) with_lock "$@"; kafka_up ;;
    kafka-stop) with_lock "$@"; kafka_down ;;
    env) print_env ;;
    _opa-install) opa_install ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
