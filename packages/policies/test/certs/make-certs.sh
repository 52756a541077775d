#!/bin/sh
# Writes the self-signed test PKI the golden files embed (run from this folder; rewrites every file).
# A CA, a client certificate it signed (for mTLS Secrets), and an unrelated key (for the mismatch case).
# Valid for 100 years so the goldens do not expire; EC P-256 keys keep the PEM short.
set -e
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 36500 -subj '/CN=backendkit test CA' -out ca.crt
openssl ecparam -name prime256v1 -genkey -noout -out client.key
openssl req -new -key client.key -subj '/CN=backendkit test client' -out client.csr
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 36500 -sha256 -out client.crt
openssl ecparam -name prime256v1 -genkey -noout -out other.key
rm -f client.csr ca.srl
