package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// stepFile is the name of a step file upgrade plan writes: N-name.yaml.
var stepFile = regexp.MustCompile(`^[0-9]+-[a-z0-9.-]+\.yaml$`)

// stepHead starts every step file (stepText).
const stepHead = "# Step "

// planFolder makes the folder a plan is written to. It must be a folder,
// or not exist yet.
func planFolder(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return fmt.Errorf("-o %s: not a folder; upgrade plan writes a file per step into a folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-o %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-o %s: creating the folder: %w", dir, err)
	}
	return nil
}

// removeOldSteps removes the step files of an earlier plan from dir:
// files named as steps, starting as steps do, that the new plan did not
// write. Other files stay. It reports each file it removes to w.
func removeOldSteps(w io.Writer, dir string, written map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !stepFile.MatchString(e.Name()) || written[e.Name()] {
			continue
		}
		name := filepath.Join(dir, e.Name())
		ok, err := startsWith(name, stepHead)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := os.Remove(name); err != nil {
			return err
		}
		fmt.Fprintf(w, "removed %s, a step of an earlier plan\n", name)
	}
	return nil
}

// startsWith reports whether a file starts with prefix.
func startsWith(name, prefix string) (bool, error) {
	fh, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer fh.Close()
	buf := make([]byte, len(prefix))
	n, err := io.ReadFull(fh, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return bytes.Equal(buf[:n], []byte(prefix)), nil
}
