#!/usr/bin/env bash
# Installs the Debian packages of the real services that the tests start on loopback:
# nats-server (federation tests, JetStream) and chromium (dashboard tests in a real browser).
# Does nothing for a package that is already there; needs root (or sudo) and apt-get otherwise.
set -euo pipefail
missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-services: apt-get not found; install ${missing[*]} by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-test-services: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
