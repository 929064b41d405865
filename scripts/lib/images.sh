# Shared by scripts/test-images and scripts/test-compose (sourced, not run): the tools, a private podman
# configuration, the Debian base image built with mmdebstrap (no registry is reachable on the test machines), the
# self-contained publishes and the coordinator and agent images built on that base.
# The sourcing script sets `set -euo pipefail` and runs from the repository root.

images_script="scripts/$(basename "$0")"

fail() { echo "$images_script: $*" >&2; exit 1; }

# DOTNET_LOCK names a lock file shared with other builds on a busy machine (flock); unset, dotnet runs directly.
dotnet_run() { if [ -n "${DOTNET_LOCK:-}" ]; then flock -o "$DOTNET_LOCK" dotnet "$@"; else dotnet "$@"; fi; }

step_started=$(date +%s)
step() { local now; now=$(date +%s); echo "$images_script: [$((now - step_started)) s] $*"; step_started=$now; }

# Root, dotnet and curl present; podman, runc, aardvark-dns, mmdebstrap and any further Debian packages named as
# arguments (package:command pairs, e.g. podman-compose:podman-compose) installed when missing.
images_require_tools() {
  [ "$(id -u)" -eq 0 ] || fail "run as root (podman, mmdebstrap and the agent's privileged container need it)"
  command -v dotnet >/dev/null || fail "dotnet is missing: install the .NET SDK named in global.json"
  command -v curl >/dev/null || fail "curl is missing (apt-get install curl)"
  local missing=() tool
  for tool in podman runc aardvark-dns mmdebstrap; do
    case $tool in
      aardvark-dns) [ -x /usr/lib/podman/aardvark-dns ] || missing+=("$tool") ;;
      *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
    esac
  done
  for tool in "$@"; do
    command -v "${tool#*:}" >/dev/null || missing+=("${tool%%:*}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (Debian packages)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Debian's podman 4.3 works here only with runc (crun fails on this cgroup setup) and explicit ulimits (root lacks
# CAP_SYS_RESOURCE for podman's defaults): a private containers.conf in $1, so the machine's is left alone.
images_private_podman_conf() {
  cat > "$1/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$1/containers.conf"
}

# The version both images are tagged with: k8s/base/kustomization.yaml's newTag for node-health/coordinator.
images_version() {
  local version
  version=$(sed -n '/name: node-health\/coordinator/{n;s/.*newTag: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p}' k8s/base/kustomization.yaml)
  [ -n "$version" ] || fail "no newTag for node-health/coordinator in k8s/base/kustomization.yaml"
  echo "$version"
}

# Imports a minbase Debian bookworm with the given packages as image $1 unless it exists; $2 is a scratch directory,
# the rest are mmdebstrap options.
images_debian_base() {
  local image=$1 work=$2
  shift 2
  if podman image exists "$image"; then
    step "base image $image reused"
    return
  fi
  mmdebstrap --quiet --variant=minbase "$@" bookworm "$work/base.tar"
  podman import --quiet "$work/base.tar" "$image" >/dev/null
  rm -f "$work/base.tar"
  step "base image $image built from Debian packages"
}

# The base the coordinator and agent images are built on here (their Containerfiles' BASE build argument).
images_base=localhost/node-health-base:bookworm
images_node_health_base() {
  images_debian_base "$images_base" "$1" --include=libicu72,libssl3,ca-certificates,tzdata,libsystemd0,ethtool,iptables
}

# Publishes the coordinator and the agent self-contained into $1/coordinator and $1/agent and builds
# node-health/coordinator:$2 and node-health/agent:$2 on the Debian base.
images_build_node_health() {
  local work=$1 version=$2
  dotnet_run publish src/Coordinator -c Release -r linux-x64 --self-contained --nologo -v quiet -o "$work/coordinator"
  dotnet_run publish src/NodeHost -c Release -r linux-x64 --self-contained --nologo -v quiet -o "$work/agent"
  step "published (self-contained): coordinator $(du -sh "$work/coordinator" | cut -f1), agent $(du -sh "$work/agent" | cut -f1)"

  podman build --quiet -f deploy/coordinator.Containerfile --build-arg BASE="$images_base" -t "node-health/coordinator:$version" "$work/coordinator" >/dev/null
  podman build --quiet -f deploy/agent.Containerfile --build-arg BASE="$images_base" -t "node-health/agent:$version" "$work/agent" >/dev/null
  step "built node-health/coordinator:$version ($(images_size "node-health/coordinator:$version")) and node-health/agent:$version ($(images_size "node-health/agent:$version"))"
}

images_size() { podman image inspect --format '{{.Size}}' "$1" | numfmt --to=iec; }
