#!/usr/bin/env bash
# A throwaway certificate authority and the certificates a local swarm needs,
# made with openssl (EC P-256 keys, so it takes a moment, not minutes):
#
#   hack/lib/make-certs.sh DIR [CLIENT...]
#
#   DIR/ca.pem, DIR/ca.key            the authority (made once; kept when present)
#   DIR/server.pem, DIR/server.key    the controller's, for localhost and 127.0.0.1
#                                     (and the names in $SERVER_SANS, e.g.
#                                     "DNS:ctl.example,IP:10.0.0.5")
#   DIR/CLIENT.pem, DIR/CLIENT.key    a client certificate with CN=CLIENT: a drone's
#                                     name, or e.g. "admin" for swarmctl
#
# Keys are mode 600. Certificates already in DIR are kept. For real
# certificates see docs/operations.md (Security).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [CLIENT...]" >&2; exit 2; }
dir=$1
shift
mkdir -p "$dir"
umask 077
days=${CERT_DAYS:-30}

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign NAME SUBJECT EXTENSIONS: DIR/NAME.pem from DIR/NAME.key, signed by the CA.
sign() {
  local name=$1 subject=$2 ext=$3
  key "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days "$days" -sha256 -extfile <(printf '%s\n' "$ext") \
    -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr"
  chmod 644 "$dir/$name.pem"
}

if [ ! -s "$dir/ca.pem" ]; then
  key "$dir/ca.key"
  openssl req -new -x509 -key "$dir/ca.key" -subj "/CN=build-swarm local CA" -days "$days" \
    -sha256 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem" 2>/dev/null
  chmod 644 "$dir/ca.pem"
fi
if [ ! -s "$dir/server.pem" ]; then
  sans="DNS:localhost,IP:127.0.0.1${SERVER_SANS:+,$SERVER_SANS}"
  sign server "/CN=swarm-controller" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$sans"
fi
for client in "$@"; do
  [ -s "$dir/$client.pem" ] && continue
  sign "$client" "/CN=$client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
done
