# dnstlsd regress: certificates for the pin tests (t_43 .. t_46): impostors,
# mis-issued leaves and a three-level PKI, next to what make_pki made in $T.
# Sourced after lib.sh.  Every key is EC P-256, every server certificate
# names dot.test, 127.0.0.1 and ::1 and is valid for 30 days.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.

# pin_run CMD...: run in $T, output to $T/pki.log; a failure fails the test.
pin_run() {
	(cd "$T" && "$@") >>"$T/pki.log" 2>&1 || {
		tail -n 20 "$T/pki.log"
		fail "certificate: $*"
	}
}

pin_server_ext() {
	cat >"$T/$1.ext" <<-EOF2
	basicConstraints=critical,CA:FALSE
	keyUsage=critical,digitalSignature
	extendedKeyUsage=serverAuth
	subjectAltName=DNS:dot.test,IP:127.0.0.1,IP:::1
	EOF2
}

# make_leaf NAME SUBJECT ISSUER SERIAL: $T/NAME.key and NAME.pem, a server
# certificate signed by $T/ISSUER.pem (and ISSUER.key); NAME.pin its pin.
make_leaf() {
	local n=$1 subj=$2 ca=$3 serial=$4
	pin_server_ext "$n"
	pin_run openssl ecparam -name prime256v1 -genkey -noout -out "$n.key"
	pin_run openssl req -new -key "$n.key" -subj "$subj" -out "$n.csr"
	pin_run openssl x509 -req -in "$n.csr" -CA "$ca.pem" -CAkey "$ca.key" \
	    -set_serial "$serial" -days 30 -sha256 -extfile "$n.ext" \
	    -out "$n.pem"
	spki_pin "$T/$n.pem" >"$T/$n.pin"
}

# make_subca NAME SUBJECT ISSUER SERIAL: an intermediate CA signed by ISSUER.
make_subca() {
	local n=$1 subj=$2 ca=$3 serial=$4
	printf '%s\n' "basicConstraints=critical,CA:TRUE" \
	    "keyUsage=critical,keyCertSign,cRLSign" >"$T/$n.ext"
	pin_run openssl ecparam -name prime256v1 -genkey -noout -out "$n.key"
	pin_run openssl req -new -key "$n.key" -subj "$subj" -out "$n.csr"
	pin_run openssl x509 -req -in "$n.csr" -CA "$ca.pem" -CAkey "$ca.key" \
	    -set_serial "$serial" -days 30 -sha256 -extfile "$n.ext" \
	    -out "$n.pem"
	spki_pin "$T/$n.pem" >"$T/$n.pin"
}

# make_impostor NAME: a self-signed server certificate for dot.test with a
# key of its own, as a man in the middle makes one.
make_impostor() {
	local n=$1
	pin_run openssl ecparam -name prime256v1 -genkey -noout -out "$n.key"
	pin_run openssl req -x509 -new -key "$n.key" -subj "/CN=dot.test" \
	    -days 30 -sha256 \
	    -addext "basicConstraints=critical,CA:FALSE" \
	    -addext "extendedKeyUsage=serverAuth" \
	    -addext "subjectAltName=DNS:dot.test,IP:127.0.0.1,IP:::1" \
	    -out "$n.pem"
	spki_pin "$T/$n.pem" >"$T/$n.pin"
}

# chain OUT FILE...: the PEM files (names in $T, without .pem) one after
# the other in $T/OUT.pem, as a server loads and sends them: leaf first.
chain() {
	local out=$1 f
	shift
	for f in "$@"; do
		cat "$T/$f.pem"
	done >"$T/$out.pem"
}

# no_queries NAME: the dotserver NAME never saw a query (it was refused
# before any was sent).
no_queries() {
	local n
	n=$(grep -c '"ev": "query"' "$T/$1.jsonl" 2>/dev/null)
	[ "${n:-0}" -eq 0 ] || fail "$1 received $n queries"
	ok "$1 received no query"
}
