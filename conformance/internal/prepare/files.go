package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// user is the name and uid the test client authenticates as.
const user = "istio-render-conformance"

// writeKeyPair writes sa.key (PKCS #8) and sa.pub (PKIX).
func writeKeyPair(dir string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("generating service-account key: %w", err)
	}
	priv, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("encoding service-account key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return fmt.Errorf("encoding service-account public key: %w", err)
	}
	if err := writePEM(filepath.Join(dir, "sa.key"), "PRIVATE KEY", priv); err != nil {
		return err
	}
	return writePEM(filepath.Join(dir, "sa.pub"), "PUBLIC KEY", pub)
}

func writePEM(path, blockType string, der []byte) error {
	data := pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeToken writes a random token and the static token file that admits
// it as a cluster administrator.
func writeToken(dir string) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("generating token: %w", err)
	}
	token := hex.EncodeToString(b)
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("writing token: %w", err)
	}
	line := fmt.Sprintf("%s,%s,%s,\"system:masters\"\n", token, user, user)
	if err := os.WriteFile(filepath.Join(dir, "tokens.csv"), []byte(line), 0o600); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	return nil
}

// writePorts finds three free TCP ports on 127.0.0.1, holding all three
// open until they are chosen so that they differ.
func writePorts(dir string) error {
	names := []string{"ETCD_CLIENT_PORT", "ETCD_PEER_PORT", "APISERVER_PORT"}
	var lines []string
	for _, name := range names {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("finding a free port: %w", err)
		}
		defer l.Close()
		lines = append(lines, fmt.Sprintf("%s=%d", name, l.Addr().(*net.TCPAddr).Port))
	}
	data := strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ports.env"), []byte(data), 0o600); err != nil {
		return fmt.Errorf("writing ports: %w", err)
	}
	return nil
}
