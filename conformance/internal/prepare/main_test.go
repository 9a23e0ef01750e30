package main

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{dir}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	block, _ := pem.Decode(read("sa.key"))
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("sa.key is not a PEM private key")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	block, _ = pem.Decode(read("sa.pub"))
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("sa.pub is not a PEM public key")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !key.(*ecdsa.PrivateKey).PublicKey.Equal(pub) {
		t.Error("sa.pub is not the public half of sa.key")
	}
	token := strings.TrimSpace(string(read("token")))
	if len(token) != 64 {
		t.Errorf("token %q: want 64 hex digits", token)
	}
	if want := token + ",istio-render-conformance,istio-render-conformance,\"system:masters\"\n"; string(read("tokens.csv")) != want {
		t.Errorf("tokens.csv = %q, want %q", read("tokens.csv"), want)
	}
	ports := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(read("ports.env"))), "\n") {
		_, port, ok := strings.Cut(line, "=")
		if !ok || port == "" || port == "0" {
			t.Errorf("ports.env line %q", line)
		}
		if ports[port] {
			t.Errorf("port %s given twice", port)
		}
		ports[port] = true
	}
	if len(ports) != 3 {
		t.Errorf("ports.env holds %d ports, want 3", len(ports))
	}
}

func TestRunNeedsOneDirectory(t *testing.T) {
	if err := run(nil); err == nil {
		t.Error("run with no arguments succeeded")
	}
}
