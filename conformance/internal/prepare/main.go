// Command prepare writes what the conformance run's etcd and kube-apiserver
// need into one directory, without openssl or any other tool:
//
//	sa.key, sa.pub  an ECDSA P-256 service-account signing key pair (PEM)
//	token           a random bearer token for the test client
//	tokens.csv      kube-apiserver's static token file: that token, in
//	                system:masters
//	ports.env       free loopback ports, as shell assignments:
//	                ETCD_CLIENT_PORT, ETCD_PEER_PORT, APISERVER_PORT
//
// Usage: prepare DIR
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "prepare:", err)
		os.Exit(1)
	}
}

// run writes the files into the one directory argument.
func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: prepare DIR")
	}
	dir := args[0]
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := writeKeyPair(dir); err != nil {
		return err
	}
	if err := writeToken(dir); err != nil {
		return err
	}
	return writePorts(dir)
}
