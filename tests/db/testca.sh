#!/bin/sh
# testca.sh DIR [SAN]: a throwaway CA and a server certificate it signed,
# for database servers on loopback. Writes into DIR (made if need be):
#   ca.pem ca.key          the CA, valid two days; kept if DIR has one
#   server.pem server.key  for subjectAltName SAN
#                          (default DNS:localhost,IP:127.0.0.1)
# Keys are P-256: quick to make, and both OpenSSL-built servers take them.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: testca.sh DIR [SAN]" >&2
	exit 2
fi
dir=$1
san=${2:-DNS:localhost,IP:127.0.0.1}
command -v openssl >/dev/null 2>&1 || {
	echo "testca.sh: openssl is not installed (make deps)" >&2
	exit 1
}
mkdir -p "$dir"
cd "$dir"
umask 077

[ -f ca.key ] && [ -f ca.pem ] ||
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout ca.key -out ca.pem -days 2 -sha256 \
    -subj "/CN=iamdb test CA $$" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout server.key -out server.csr -subj "/CN=iamdb test server" 2>/dev/null
cat >server.ext <<EXT
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $san
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
    -CAcreateserial -out server.pem -days 2 -sha256 \
    -extfile server.ext 2>/dev/null
rm -f server.csr server.ext ca.srl
# Certificates are public; servers read them as another user.
chmod 644 ca.pem server.pem
