#!/bin/sh
# Trusts the PEM certificates in $EXTRA_CA_CERTS (a build argument, empty by default) besides
# Debian's: for builds behind a TLS-inspecting proxy, whose downloads (Maven Central, PyPI, npm)
# fail otherwise. Java's trust store follows (ca-certificates-java), pip and npm are pointed at the
# system bundle by the Dockerfiles (PIP_CERT, NODE_EXTRA_CA_CERTS).
set -eu
[ -n "${EXTRA_CA_CERTS:-}" ] || exit 0
mkdir -p /usr/local/share/ca-certificates
# One certificate a file: update-ca-certificates and Java's trust store take only one from each.
printf '%s\n' "$EXTRA_CA_CERTS" | awk '/-----BEGIN CERTIFICATE-----/ { n++ } n > 0 { print > ("/usr/local/share/ca-certificates/sparktop-build-extra-" n ".crt") }'
update-ca-certificates > /dev/null
