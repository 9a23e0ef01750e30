package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// probe returns nil when the database at base answers for its index
// (index/db.json.gz, as govulncheck reads it) within timeout.
func probe(ctx context.Context, base string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, strings.TrimRight(base, "/")+"/index/db.json.gz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HEAD %s: %s", req.URL, resp.Status)
	}
	return nil
}
